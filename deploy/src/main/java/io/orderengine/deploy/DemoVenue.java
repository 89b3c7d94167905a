package io.orderengine.deploy;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.VenueIds;
import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.usecase.Venues;
import io.orderengine.engine.table.DinerOrdering;
import io.orderengine.engine.venue.Settings;
import io.orderengine.engine.venue.Category;
import io.orderengine.engine.venue.FloorTable;
import io.orderengine.engine.venue.MenuItem;
import io.orderengine.engine.venue.Stall;
import io.orderengine.engine.venue.Station;
import io.orderengine.engine.venue.Venue;
import io.orderengine.engine.venue.VenueSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The food court a demo node starts with: five stalls, four kitchen stations, thirteen categories,
 * forty dishes, thirty tables. It is made as an owner would make a venue, through the calls the API
 * makes (create the venue, then each stall, station, category and dish), and only what is missing is
 * put: a restart changes nothing, and a dish staff changed stays as they changed it. The tables come
 * in one import, since a benchmark's demo seats up to 100,000.
 */
public final class DemoVenue {
  private DemoVenue() {}

  public static final String NAME = "美食广场 Demo Food Court";
  public static final String CURRENCY = "CNY";

  /**
   * Creates venue {@value VenueIds#DEFAULT} in {@code timeZone} with {@code tableCount} tables and
   * everything else of the demo that it lacks. A venue staff renamed (VENUE_EXISTS) is the demo still.
   */
  public static CompletionStage<Venue.View> setUp(Venues venues, MenuBoard menu, String timeZone, int tableCount) {
    String v = VenueIds.DEFAULT;
    return venues.create(v, NAME, timeZone, CURRENCY)
        .exceptionally(failure -> {
          Throwable t = Rejected.unwrap(failure);
          if (t instanceof Rejected r && r.code() == Rejection.VENUE_EXISTS) return null;
          throw failure instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(failure);
        })
        // the demo trusts its table codes: a diner seats themselves, orders and fires (a venue one creates
        // starts with the safe choice); only while the demo venue is new, so an operator's choice stays
        .thenCompose(created -> created == null || !created.stalls().isEmpty() ? venues.venue(v) : venues.changeSettings(v, null,
            new Settings.Change(null, null, null, null, null, null, DinerOrdering.OPEN)))
        .thenCompose(venue -> {
          List<Supplier<CompletionStage<Venue.View>>> steps = new ArrayList<>();
          for (Stall s : stalls()) {
            if (venue.stalls().stream().noneMatch(x -> x.stallId().equals(s.stallId()))) steps.add(() -> venues.putStall(v, s));
          }
          for (Station s : stations()) {
            if (venue.stations().stream().noneMatch(x -> x.stationId().equals(s.stationId()))) {
              steps.add(() -> venues.putStation(v, s));
            }
          }
          for (Category c : categories()) {
            if (venue.categories().stream().noneMatch(x -> x.categoryId().equals(c.categoryId()))) {
              steps.add(() -> venues.putCategory(v, c));
            }
          }
          for (MenuItem i : items()) {
            if (venue.item(i.sku()).isEmpty()) steps.add(() -> menu.upsertItem(v, i));
          }
          List<FloorTable> missing = tables(tableCount).stream().filter(t -> !venue.hasTable(t.tableId())).toList();
          if (!missing.isEmpty()) steps.add(() -> venues.importSetup(v, VenueSetup.ofTables(missing)));
          CompletionStage<Venue.View> done = CompletableFuture.completedFuture(venue);
          for (Supplier<CompletionStage<Venue.View>> step : steps) done = done.thenCompose(previous -> step.get());
          return done;
        });
  }

  /** The tables T01..T99, or T00001.. beyond 99, in the hall, four seats each. */
  static List<FloorTable> tables(int count) {
    List<FloorTable> tables = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      tables.add(new FloorTable(String.format(count <= 99 ? "T%02d" : "T%05d", i), "大厅 Hall", 4));
    }
    return tables;
  }

  static List<Stall> stalls() {
    return List.of(
        new Stall("S1", "川味小馆", "Sichuan Kitchen", 15),
        new Stall("S2", "粤式烧腊", "Cantonese Roast", 15),
        new Stall("S3", "兰州拉面", "Lanzhou Noodles", 12),
        new Stall("S4", "东北饺子馆", "Dongbei Dumplings", 12),
        new Stall("S5", "甜品饮品", "Desserts & Drinks", 18));
  }

  static List<Station> stations() {
    return List.of(
        new Station("WOK", "炒锅档", "Wok station"),
        new Station("ROAST", "烧腊档", "Roast station"),
        new Station("NOODLE", "面点档", "Noodle & dumpling station"),
        new Station("BAR", "水吧", "Drinks bar"));
  }

  static List<Category> categories() {
    String[][] named = {
        {"hot", "热菜", "Hot dishes"}, {"roast", "烧腊", "Roasts"}, {"rice", "饭类", "Rice plates"},
        {"noodles", "面类", "Noodles"}, {"dumplings", "饺子", "Dumplings"}, {"soup", "汤", "Soups"},
        {"vegetable", "素菜", "Vegetables"}, {"cold", "凉菜", "Cold dishes"}, {"snack", "小吃", "Snacks"},
        {"staple", "主食", "Staples"}, {"extra", "加料", "Extras"}, {"dessert", "甜品", "Desserts"},
        {"drinks", "饮品", "Drinks"}};
    List<Category> categories = new ArrayList<>();
    for (int i = 0; i < named.length; i++) categories.add(new Category(named[i][0], named[i][1], named[i][2], (i + 1) * 10));
    return categories;
  }

  static List<MenuItem> items() {
    List<MenuItem> items = List.of(
        item("SC01", "宫保鸡丁", "Kung Pao Chicken", "S1", "WOK", "hot", 3800),
        item("SC02", "麻婆豆腐", "Mapo Tofu", "S1", "WOK", "hot", 2600),
        item("SC03", "鱼香肉丝", "Yu-Xiang Shredded Pork", "S1", "WOK", "hot", 3200),
        item("SC04", "水煮牛肉", "Sichuan Boiled Beef", "S1", "WOK", "hot", 5800),
        item("SC05", "回锅肉", "Twice-Cooked Pork", "S1", "WOK", "hot", 3600),
        item("SC06", "干煸四季豆", "Dry-Fried Green Beans", "S1", "WOK", "vegetable", 2400),
        item("SC07", "酸辣土豆丝", "Hot and Sour Potato Strips", "S1", "WOK", "vegetable", 1800),
        item("SC08", "米饭", "Steamed Rice", "S1", "WOK", "staple", 300),
        item("CR01", "蜜汁叉烧", "Honey BBQ Pork", "S2", "ROAST", "roast", 4200),
        item("CR02", "脆皮烧肉", "Crispy Roast Pork", "S2", "ROAST", "roast", 4600),
        item("CR03", "白切鸡", "Poached Chicken", "S2", "ROAST", "roast", 3800),
        item("CR04", "烧鹅饭", "Roast Goose Rice", "S2", "ROAST", "rice", 4800),
        item("CR05", "豉油鸡饭", "Soy Sauce Chicken Rice", "S2", "ROAST", "rice", 3200),
        item("CR06", "叉烧饭", "BBQ Pork Rice", "S2", "ROAST", "rice", 3000),
        item("CR07", "白灼菜心", "Blanched Choy Sum", "S2", "WOK", "vegetable", 1800),
        item("CR08", "老火例汤", "Slow-Cooked Soup of the Day", "S2", "ROAST", "soup", 1200),
        item("LZ01", "兰州牛肉面", "Lanzhou Beef Noodle Soup", "S3", "NOODLE", "noodles", 2200),
        item("LZ02", "牛肉炒面", "Fried Noodles with Beef", "S3", "NOODLE", "noodles", 2800),
        item("LZ03", "羊肉泡馍", "Lamb Soup with Torn Bread", "S3", "NOODLE", "soup", 3200),
        item("LZ04", "凉皮", "Cold Skin Noodles", "S3", "NOODLE", "cold", 1600),
        item("LZ05", "肉夹馍", "Roujiamo Pork Burger", "S3", "NOODLE", "snack", 1200),
        item("LZ06", "加牛肉", "Extra Beef", "S3", "NOODLE", "extra", 1000),
        item("LZ07", "卤蛋", "Marinated Egg", "S3", "NOODLE", "extra", 300),
        item("LZ08", "拍黄瓜", "Smashed Cucumber", "S3", "NOODLE", "cold", 1200),
        item("DJ01", "猪肉白菜水饺", "Pork and Cabbage Dumplings", "S4", "NOODLE", "dumplings", 2000),
        item("DJ02", "三鲜水饺", "Three-Treasure Dumplings", "S4", "NOODLE", "dumplings", 2600),
        item("DJ03", "韭菜鸡蛋水饺", "Chive and Egg Dumplings", "S4", "NOODLE", "dumplings", 1800),
        item("DJ04", "锅贴", "Pan-Fried Potstickers", "S4", "NOODLE", "dumplings", 2200),
        item("DJ05", "小笼包", "Xiaolongbao Soup Dumplings", "S4", "NOODLE", "dumplings", 2800),
        item("DJ06", "酸菜炖粉条", "Pickled Cabbage with Glass Noodles", "S4", "WOK", "hot", 2600),
        item("DJ07", "锅包肉", "Sweet and Sour Crispy Pork", "S4", "WOK", "hot", 4200),
        item("DJ08", "地三鲜", "Potato, Eggplant and Pepper", "S4", "WOK", "vegetable", 2800),
        item("DR01", "珍珠奶茶", "Bubble Milk Tea", "S5", "BAR", "drinks", 1500),
        item("DR02", "杨枝甘露", "Mango Pomelo Sago", "S5", "BAR", "dessert", 1800),
        item("DR03", "冻柠茶", "Iced Lemon Tea", "S5", "BAR", "drinks", 1200),
        item("DR04", "豆浆", "Soy Milk", "S5", "BAR", "drinks", 600),
        item("DR05", "酸梅汤", "Sour Plum Drink", "S5", "BAR", "drinks", 800),
        item("DR06", "双皮奶", "Double-Skin Milk Pudding", "S5", "BAR", "dessert", 1600),
        item("DR07", "芒果布丁", "Mango Pudding", "S5", "BAR", "dessert", 1400),
        item("DR08", "矿泉水", "Mineral Water", "S5", "BAR", "drinks", 300));
    return items;
  }

  private static MenuItem item(String sku, String name, String nameEn, String stall, String station, String category,
      long priceMinor) {
    return new MenuItem(sku, name, nameEn, stall, station, category, priceMinor, true, optionsFor(sku, category));
  }

  static final MenuItem.OptionGroup NOODLE_SIZE = new MenuItem.OptionGroup("size", "份量 Size", false, false, List.of(
      new MenuItem.Choice("REGULAR", "标准 Regular", 0), new MenuItem.Choice("LARGE", "大份 Large", 500)));
  static final MenuItem.OptionGroup SPICE = new MenuItem.OptionGroup("spice", "辣度 Spice", false, false, List.of(
      new MenuItem.Choice("MILD", "微辣 Mild", 0), new MenuItem.Choice("MEDIUM", "中辣 Medium", 0),
      new MenuItem.Choice("HOT", "特辣 Hot", 0)));
  static final MenuItem.OptionGroup TEA = new MenuItem.OptionGroup("tea", "加料 Extras", false, true, List.of(
      new MenuItem.Choice("LESS_ICE", "少冰 Less ice", 0), new MenuItem.Choice("NO_ICE", "去冰 No ice", 0),
      new MenuItem.Choice("EXTRA_PEARLS", "加珍珠 Extra pearls", 200)));

  private static List<MenuItem.OptionGroup> optionsFor(String sku, String category) {
    if (sku.equals("LZ01") || sku.equals("LZ02")) return List.of(NOODLE_SIZE, SPICE);
    if (sku.startsWith("SC") && category.equals("hot")) return List.of(SPICE);
    if (sku.equals("DR01") || sku.equals("DR03")) return List.of(TEA);
    return List.of();
  }
}
