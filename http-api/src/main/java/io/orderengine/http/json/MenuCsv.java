package io.orderengine.http.json;

import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Venue;
import io.orderengine.http.problems.BadRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The menu as CSV (RFC 4180, UTF-8, a header row), for a spreadsheet: one dish a row, the columns
 * {@link #COLUMNS} in any order. A dish's option groups stay out of the CSV: a row keeps the options
 * its dish already has, and a new dish comes without any (give them with {@code PUT menu/items/{sku}}
 * or the JSON import).
 */
public final class MenuCsv {
  private MenuCsv() {}

  public static final List<String> COLUMNS =
      List.of("sku", "name", "nameEn", "category", "stallId", "stationId", "priceMinor", "available");
  public static final String CONTENT_TYPE = "text/csv; charset=UTF-8";
  private static final int MAX_ROWS = 5000;

  public static String write(Venue.View venue) {
    StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
    for (MenuItem i : venue.items()) {
      b.append(String.join(",", cell(i.sku()), cell(i.name()), cell(i.nameEn()), cell(i.category()), cell(i.stallId()),
          cell(i.stationId()), Long.toString(i.priceMinor()), Boolean.toString(i.available()))).append("\r\n");
    }
    return b.toString();
  }

  /**
   * The dishes of a CSV, each row checked against the venue as it is (its stalls and stations, and
   * the options a dish already has); the first bad row is named: {@code row 4 (sku SC09): ...}.
   */
  public static List<MenuItem> read(String csv, Venue.View venue) {
    List<List<String>> rows = parse(csv);
    if (rows.isEmpty()) throw new BadRequest("the CSV is empty: a header row is required (" + String.join(",", COLUMNS) + ")");
    List<String> header = rows.get(0).stream().map(String::strip).toList();
    Map<String, Integer> at = new HashMap<>();
    for (int c = 0; c < header.size(); c++) {
      if (!COLUMNS.contains(header.get(c))) {
        throw new BadRequest("header: unknown column '" + header.get(c) + "' (columns: " + String.join(",", COLUMNS) + ")");
      }
      if (at.put(header.get(c), c) != null) throw new BadRequest("header: column '" + header.get(c) + "' appears twice");
    }
    for (String required : List.of("sku", "name", "stallId", "stationId", "priceMinor")) {
      if (!at.containsKey(required)) throw new BadRequest("header: column '" + required + "' is required");
    }
    if (rows.size() - 1 > MAX_ROWS) throw new BadRequest("at most " + MAX_ROWS + " dishes a CSV");
    List<MenuItem> items = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) continue; // a blank line
      Row cells = new Row(r + 1, row, at);
      items.add(cells.item(venue));
    }
    return items;
  }

  private record Row(int number, List<String> cells, Map<String, Integer> at) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    Optional<String> get(String column) {
      Integer c = at.get(column);
      if (c == null || c >= cells.size()) return Optional.empty();
      String v = cells.get(c).strip();
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    BadRequest bad(String what) {
      return new BadRequest("row " + number + get("sku").map(s -> " (sku " + s + ")").orElse("") + ": " + what);
    }

    String id(String column) {
      String v = get(column).orElseThrow(() -> bad(column + " is required"));
      if (!ID.matcher(v).matches()) throw bad(column + " must match [A-Za-z0-9_-]{1,32}");
      return v;
    }

    MenuItem item(Venue.View venue) {
      if (cells.size() > at.size()) throw bad("has " + cells.size() + " cells, the header " + at.size());
      String sku = id("sku");
      String stallId = id("stallId");
      String stationId = id("stationId");
      if (venue.stalls().stream().noneMatch(s -> s.stallId().equals(stallId))) throw bad("unknown stall '" + stallId + "'");
      if (venue.stations().stream().noneMatch(s -> s.stationId().equals(stationId))) {
        throw bad("unknown station '" + stationId + "'");
      }
      long price;
      try {
        price = Long.parseLong(get("priceMinor").orElseThrow(() -> bad("priceMinor is required")));
      } catch (NumberFormatException e) {
        throw bad("priceMinor must be a whole number of minor units (fen)");
      }
      if (price < 0 || price > VenueDocuments.MAX_PRICE_MINOR) throw bad("priceMinor must be 0.." + VenueDocuments.MAX_PRICE_MINOR);
      String available = get("available").orElse("true").toLowerCase(java.util.Locale.ROOT);
      if (!available.equals("true") && !available.equals("false")) throw bad("available must be true or false");
      String name = get("name").orElseThrow(() -> bad("name is required"));
      if (name.length() > 500) throw bad("name is longer than 500 characters");
      List<MenuItem.OptionGroup> options = venue.item(sku).map(MenuItem::options).orElse(List.of());
      return new MenuItem(sku, name, get("nameEn").orElse(null), stallId, stationId, get("category").orElse("other"),
          price, Boolean.parseBoolean(available), options);
    }
  }

  /** RFC 4180: commas, double quotes around a cell that holds a comma, quote or line break, "" for a quote. */
  static List<List<String>> parse(String csv) {
    String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv; // a spreadsheet's byte order mark
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"' && cell.length() == 0) {
        quoted = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(ch);
      }
      i++;
    }
    if (quoted) throw new BadRequest("the CSV ends inside a quoted cell");
    if (cell.length() > 0 || !row.isEmpty()) {
      row.add(cell.toString());
      rows.add(row);
    }
    return rows;
  }

  private static String cell(String value) {
    if (value == null) return "";
    boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
        || (!value.isEmpty() && (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' '));
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
