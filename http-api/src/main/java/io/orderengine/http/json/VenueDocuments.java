package io.orderengine.http.json;

import io.orderengine.engine.table.DinerOrdering;

import io.orderengine.engine.venue.Category;
import io.orderengine.engine.venue.FloorTable;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Settings;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueSetup;
import io.orderengine.http.problems.BadRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A venue as JSON: its profile and settings, the list of venues, and the whole layout and menu as
 * one document (what {@code GET export} writes and {@code PUT import} reads back).
 */
public final class VenueDocuments {
  private VenueDocuments() {}

  public static final long MAX_PRICE_MINOR = 100_000_000L;
  public static final int MAX_SEATS = 100;

  public record SettingsJson(String timeZone, String currency, int businessDayStartsAtHour, int serviceChargePercent,
      String cashRounding, int cashierMaxDiscountPercent, long cashierMaxDiscountMinor, String dinerOrdering) {}

  public record CountsJson(int stalls, int stations, int tables, int categories, int items) {}

  public record VenueJson(String venueId, String name, SettingsJson settings, CountsJson counts) {}

  public record VenueSummaryJson(String venueId, String name, String timeZone, String currency) {}

  public record VenuesJson(List<VenueSummaryJson> venues) {}

  public record TablePlanJson(String tableId, String area, int seats) {}

  public record CategoryJson(String categoryId, String name, String nameEn, int sort) {}

  public record RemovedJson(String removed, String id) {}

  /** The whole venue but its stock and its orders: what {@code PUT import} takes back as it is. */
  public record ExportJson(String venueId, String name, SettingsJson settings, List<Representations.StallJson> stalls,
      List<Representations.StationJson> stations, List<TablePlanJson> tables, List<CategoryJson> categories,
      List<Representations.MenuItemJson> items, List<PrinterJson> printers) {}

  /** A printer as it is set up (its state and queue are GET printers'). */
  public record PrinterJson(String printerId, String host, int port, List<String> stations, boolean receipts,
      int paperWidthMm) {}

  // ---- written ----

  public static VenueJson venue(String venueId, Venue.View v) {
    return new VenueJson(venueId, v.name(), settings(v.settings()), new CountsJson(v.stalls().size(), v.stations().size(),
        v.tables().size(), v.categories().size(), v.items().size()));
  }

  public static VenueSummaryJson summary(String venueId, Venue.View v) {
    return new VenueSummaryJson(venueId, v.name(), v.settings().timeZone(), v.settings().currency());
  }

  public static SettingsJson settings(Settings s) {
    return new SettingsJson(s.timeZone(), s.currency(), s.businessDayStartsAtHour(), s.serviceChargePercent(),
        cashRounding(s.cashRoundingMinor()), s.cashierMaxDiscountPercent(), s.cashierMaxDiscountMinor(),
        s.dinerOrdering().name());
  }

  public static TablePlanJson table(FloorTable t) {
    return new TablePlanJson(t.tableId(), t.area(), t.seats());
  }

  public static CategoryJson category(Category c) {
    return new CategoryJson(c.categoryId(), c.name(), c.nameEn(), c.sort());
  }

  public static Representations.StallJson stall(Stall s) {
    return new Representations.StallJson(s.stallId(), s.name(), s.nameEn(), s.commissionPercent());
  }

  public static Representations.StationJson station(Station s) {
    return new Representations.StationJson(s.stationId(), s.name(), s.nameEn());
  }

  public static ExportJson export(String venueId, Venue.View v) {
    return new ExportJson(venueId, v.name(), settings(v.settings()),
        v.stalls().stream().map(VenueDocuments::stall).toList(),
        v.stations().stream().map(VenueDocuments::station).toList(),
        v.tables().stream().map(VenueDocuments::table).toList(),
        v.categories().stream().map(VenueDocuments::category).toList(),
        v.items().stream().map(i -> Representations.item(i, null)).toList(),
        v.printers().stream().map(p -> new PrinterJson(p.printerId(), p.host(), p.port(), p.stations(), p.receipts(),
            p.paperWidthMm())).toList());
  }

  /** 抹零 on the wire: none, jiao (to 0.10) or yuan (to 1.00). */
  public static String cashRounding(int minor) {
    return switch (minor) {
      case 10 -> "jiao";
      case 100 -> "yuan";
      default -> "none";
    };
  }

  // ---- read ----

  /** A change of settings: every field optional, what is left out stays. */
  public static Settings.Change settingsChange(Body b) {
    return new Settings.Change(
        b.optionalText("timeZone").map(z -> {
          if (!Settings.validZone(z)) throw new BadRequest(b.path("timeZone") + " is not a time zone (e.g. Asia/Shanghai)");
          return z;
        }).orElse(null),
        b.optionalInt("businessDayStartsAtHour", 0, 23).orElse(null),
        b.optionalInt("serviceChargePercent", 0, 100).orElse(null),
        b.optionalText("cashRounding").map(r -> switch (r.toLowerCase(Locale.ROOT)) {
          case "none" -> 0;
          case "jiao" -> 10;
          case "yuan" -> 100;
          default -> throw new BadRequest(b.path("cashRounding") + " must be none, jiao or yuan");
        }).orElse(null),
        b.optionalInt("cashierMaxDiscountPercent", 0, 100).orElse(null),
        b.optionalLong("cashierMaxDiscountMinor", 0, MAX_PRICE_MINOR).orElse(null),
        b.has("dinerOrdering") ? b.requiredEnum("dinerOrdering", DinerOrdering.class) : null);
  }

  /** A name that, when sent, is not blank. */
  public static Optional<String> optionalName(Body b) {
    Optional<String> name = b.optionalText("name");
    if (name.isPresent() && name.get().isEmpty()) throw new BadRequest(b.path("name") + " must not be empty");
    return name;
  }

  public static Stall stall(String stallId, Body b) {
    return new Stall(stallId, b.requiredNonBlank("name"), b.optionalText("nameEn").orElse(null),
        b.optionalInt("commissionPercent", 0, 100).orElse(0));
  }

  public static Station station(String stationId, Body b) {
    return new Station(stationId, b.requiredNonBlank("name"), b.optionalText("nameEn").orElse(null));
  }

  public static FloorTable table(String tableId, Body b) {
    return new FloorTable(tableId, b.optionalText("area").filter(a -> !a.isEmpty()).orElse(null),
        b.optionalInt("seats", 0, MAX_SEATS).orElse(0));
  }

  public static Category category(String categoryId, Body b) {
    return new Category(categoryId, b.requiredNonBlank("name"), b.optionalText("nameEn").orElse(null),
        b.optionalInt("sort", -1_000_000, 1_000_000).orElse(0));
  }

  /** A dish as {@code PUT menu/items/{sku}} takes it. */
  public static MenuItem item(String sku, Body b) {
    return new MenuItem(
        sku,
        b.requiredNonBlank("name"),
        b.optionalText("nameEn").orElse(null),
        b.requiredId("stallId"),
        b.requiredId("stationId"),
        b.optionalText("category").filter(c -> !c.isEmpty()).orElse("other"),
        b.requiredLong("priceMinor", 0, MAX_PRICE_MINOR),
        !b.has("available") || b.requiredBoolean("available"),
        b.optionalObjects("options", 10).orElse(List.of()).stream().map(VenueDocuments::optionGroup).toList());
  }

  static MenuItem.OptionGroup optionGroup(Body g) {
    List<MenuItem.Choice> choices = g.requiredObjects("choices", 1, 20).stream()
        .map(c -> new MenuItem.Choice(c.requiredId("code"), c.requiredNonBlank("name"),
            c.optionalLong("priceDeltaMinor", -MAX_PRICE_MINOR, MAX_PRICE_MINOR).orElse(0L)))
        .toList();
    return new MenuItem.OptionGroup(g.requiredId("groupId"), g.requiredNonBlank("name"),
        g.has("required") && g.requiredBoolean("required"), g.has("multiple") && g.requiredBoolean("multiple"), choices);
  }

  /**
   * The document of {@code PUT import} (what {@code GET export} wrote): every part optional, each
   * entry checked where it stands, so a 400 names it ({@code 'items[3].priceMinor' must be ...}).
   */
  public static VenueSetup setup(Body b) {
    Settings.Change settings = b.has("settings") ? settingsChange(b.requiredObject("settings")) : null;
    return new VenueSetup(
        optionalName(b).orElse(null),
        settings,
        entries(b, "stalls", 500).stream().map(s -> stall(s.requiredId("stallId"), s)).toList(),
        entries(b, "stations", 500).stream().map(s -> station(s.requiredId("stationId"), s)).toList(),
        entries(b, "tables", 5000).stream().map(t -> table(t.requiredId("tableId"), t)).toList(),
        entries(b, "categories", 500).stream().map(c -> category(c.requiredId("categoryId"), c)).toList(),
        entries(b, "items", 5000).stream().map(i -> item(i.requiredId("sku"), i)).toList(),
        entries(b, "printers", 100).stream().map(p -> printer(p.requiredId("printerId"), p)).toList());
  }

  /** A printer as {@code PUT printers/{id}} and an import bring it; a bad host, port or width is a 400. */
  public static io.orderengine.engine.venue.Printer printer(String printerId, Body body) {
    String host = body.requiredNonBlank("host");
    int port = body.optionalInt("port", 1, 65535).orElse(9100);
    List<String> stations = body.optionalIds("stations", 50);
    boolean receipts = body.has("receipts") && body.requiredBoolean("receipts");
    int width = body.optionalInt("paperWidthMm", 58, 80).orElse(80);
    var printer = new io.orderengine.engine.venue.Printer(printerId, host, port, stations, receipts, width);
    printer.problem().ifPresent(problem -> {
      throw new io.orderengine.http.problems.BadRequest(body.path(problem.substring(0, problem.indexOf(':')))
          + problem.substring(problem.indexOf(':')));
    });
    if (stations.isEmpty() && !receipts) {
      throw new io.orderengine.http.problems.BadRequest(body.path("stations")
          + ": a printer prints some station's tickets or the receipts");
    }
    return printer;
  }

  private static List<Body> entries(Body b, String field, int max) {
    return b.optionalObjects(field, max).orElse(List.of());
  }
}
