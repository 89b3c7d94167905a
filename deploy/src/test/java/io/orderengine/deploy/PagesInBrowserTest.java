package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The pages in a real headless Chromium against a real node: what waiters, cooks, diners and
 * managers see once the pages' scripts have run, and the two loops people live by, a waiter's
 * dine-in on the POS and a diner ordering and paying from the table's QR code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesInBrowserTest {
  static final String WAITER = "demo-waiter";
  static final String KITCHEN = "demo-kitchen";
  static final String MANAGER = "demo-manager";

  private TestNode node;
  private Browser browser;
  private Path dataDir;

  /** A failing page test leaves a screenshot in target/browser-screenshots. */
  @RegisterExtension
  final TestExecutionExceptionHandler screenshotOnFailure = (ExtensionContext context, Throwable failure) -> {
    if (browser != null) browser.screenshot(Path.of("target", "browser-screenshots", context.getDisplayName() + ".png"));
    throw failure;
  };

  @BeforeAll
  void start() throws Exception {
    browser = Browser.start();
    dataDir = Files.createTempDirectory("pages-test");
    node = TestNode.start(dataDir);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (node != null) node.close();
  }

  @Test
  void a_diner_orders_from_the_table_code_follows_the_dishes_and_pays_with_a_wallet() throws Exception {
    JsonNode card = node.get("/api/v1/tables/T21/card", MANAGER).body();
    String link = card.path("url").asText();
    assertThat(link).startsWith(node.base() + "/t/T21?k=dt1.T21.");
    assertThat(card.path("qrSvg").asText()).startsWith("<svg");

    browser.open(link);
    browser.type("#party", "3");
    browser.click("#start");

    // a drink with options, then two portions of a roast from another stall
    browser.click("[data-stall='S5']");
    browser.click("[data-sku='DR01'] .add");
    browser.click("[data-option='LESS_ICE']");
    browser.click("#add-to-cart");
    browser.click("[data-stall='S2']");
    browser.click("[data-sku='CR01'] .add");
    browser.click("[data-sku='CR01'] .add");
    browser.waitUntilAttribute("#cart-count", "textContent", "3");
    browser.snap("diner-menu");
    browser.click("#place-order");

    // the order went to the kitchen; the waiter sees the diner's table
    browser.waitUntilCount("[data-line][data-status='FIRED']", 2);
    JsonNode table = node.get("/api/v1/tables/T21", WAITER).body();
    assertThat(table.path("partySize").asInt()).isEqualTo(3);
    assertThat(table.path("waiter").asText()).isEqualTo("diner@T21");
    assertThat(table.path("lines")).hasSize(2);
    assertThat(table.path("subtotalMinor").asLong()).isEqualTo(1500 + 2 * 4200);

    // the kitchen marks the roast ready: the diner's phone shows it without a reload
    JsonNode roast = null;
    for (JsonNode l : table.path("lines")) if (l.path("sku").asText().equals("CR01")) roast = l;
    assertThat(node.post("/api/v1/kitchen/tickets/" + roast.path("ticketId").asText() + "/lines/"
        + roast.path("lineId").asText() + "/ready", KITCHEN, null, "ready-" + roast.path("lineId").asText()).status())
        .isEqualTo(200);
    browser.waitUntilAttribute("[data-line='" + roast.path("lineId").asText() + "']", "data-status", "READY");
    browser.snap("diner-order");

    // pay the whole table with WeChat: the sandbox wallet stands in for the phone's wallet app
    browser.click("#pay-bill");
    browser.click("[data-pay='WECHAT']");
    browser.waitUntilAttribute("#state", "data-state", "NOTPAY");
    browser.snap("diner-wallet");
    browser.click("#pay");
    browser.waitUntilAttribute("#receipt", "data-status", "PAID");
    assertThat(browser.waitFor("#receipt").getText()).contains("¥99.00").contains("WECHAT");
    browser.snap("diner-receipt");

    JsonNode bill = node.get("/api/v1/bills/" + node.get("/api/v1/tables/T21", WAITER).body().path("billIds").get(0).asText(),
        WAITER).body();
    assertThat(bill.path("status").asText()).isEqualTo("PAID");
    assertThat(bill.path("paidMinor").asLong()).isEqualTo(9900);
    browser.assertNoScriptErrors();
  }

  @Test
  void a_table_code_opens_no_other_table_and_moves_no_cash() throws Exception {
    String token = node.get("/api/v1/tables/T22/card", MANAGER).body().path("url").asText().replaceAll(".*k=", "");
    assertThat(node.get("/api/v1/tables/T22", token).status()).isEqualTo(200);
    assertThat(node.get("/api/v1/tables/T23", token).code()).isEqualTo("FORBIDDEN");
    assertThat(node.get("/api/v1/tables", token).code()).isEqualTo("FORBIDDEN");
    assertThat(node.get("/api/v1/reports/sales", token).code()).isEqualTo("FORBIDDEN");
    assertThat(node.post("/api/v1/tables/T23/open", token, "{\"partySize\":2}", "other-open").code()).isEqualTo("FORBIDDEN");
    assertThat(node.get("/api/v1/tables/T22", token.substring(0, token.length() - 2) + "xx").code()).isEqualTo("UNAUTHORIZED");

    assertThat(node.post("/api/v1/tables/T22/open", token, "{\"partySize\":2}", "t22-open").status()).isEqualTo(201);
    node.post("/api/v1/tables/T22/items", token, "{\"items\":[{\"sku\":\"CR01\",\"qty\":1}]}", "t22-items");
    String billId = node.post("/api/v1/tables/T22/bill", token, "{\"split\":{\"mode\":\"WHOLE\"}}", "t22-bill")
        .body().path("bills").get(0).path("billId").asText();
    assertThat(node.post("/api/v1/bills/" + billId + "/payments", token, "{\"method\":\"CASH\",\"amountMinor\":4200}", "t22-cash")
        .code()).isEqualTo("FORBIDDEN");
    assertThat(node.post("/api/v1/bills/" + billId + "/discounts", token, "{\"type\":\"PERCENT\",\"value\":50}", "t22-disc")
        .code()).isEqualTo("FORBIDDEN");
    assertThat(node.post("/api/v1/tables/T22/items/l1/void", token, "{\"reason\":\"x\"}", "t22-void").code()).isEqualTo("FORBIDDEN");
    assertThat(node.get("/api/v1/bills/" + billId, WAITER).body().path("paidMinor").asLong()).isZero();
  }

  @Test
  void the_dashboard_draws_its_charts_and_kitchen_times_once_something_was_sold() throws Exception {
    // one paid table, so the charts have bars and the kitchen a time
    node.post("/api/v1/tables/T24/open", WAITER, "{\"partySize\":2}", "t24-open");
    JsonNode t = node.post("/api/v1/tables/T24/items", WAITER, "{\"items\":[{\"sku\":\"CR02\",\"qty\":1}]}", "t24-items").body();
    node.post("/api/v1/tables/T24/fire", WAITER, null, "t24-fire");
    String ticket = node.get("/api/v1/tables/T24", WAITER).body().path("lines").get(0).path("ticketId").asText();
    node.post("/api/v1/kitchen/tickets/" + ticket + "/lines/l1/ready", KITCHEN, null, "t24-ready");
    String billId = node.post("/api/v1/tables/T24/bill", WAITER, "{\"split\":{\"mode\":\"WHOLE\"}}", "t24-bill")
        .body().path("bills").get(0).path("billId").asText();
    assertThat(node.post("/api/v1/bills/" + billId + "/payments", "demo-cashier",
        "{\"method\":\"CARD\",\"amountMinor\":4600}", "t24-pay").status()).isEqualTo(201);
    assertThat(t.path("lines")).hasSize(1);
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline
        && node.get("/api/v1/reports/sales?groupBy=method", MANAGER).body().path("rows").isEmpty()) {
      Thread.sleep(200);
    }

    browser.open(node.base() + "/dashboard?token=" + MANAGER);
    browser.waitUntilAttribute("body", "data-loaded", "true");
    browser.waitUntilCount("#hour svg rect", 1);
    browser.waitUntilCount("#stall svg rect", 1);
    browser.waitUntilCount("#method svg rect", 1);
    assertThat(browser.waitFor("#method").getText()).contains("CARD");
    browser.waitUntilCount("#kitchen tr[data-station='ROAST']", 1);
    browser.snap("dashboard");
    browser.assertNoScriptErrors();
  }

  @Test
  void the_table_cards_show_a_qr_code_for_every_table_and_docs_show_the_api() throws Exception {
    browser.open(node.base() + "/cards?token=" + MANAGER);
    browser.waitUntilCount("[data-card] .qr svg", 30);
    assertThat(browser.waitFor("[data-card='T01'] .link").getText()).startsWith(node.base() + "/t/T01?k=dt1.T01.");
    browser.snap("cards");

    browser.open(node.base() + "/docs");
    browser.waitUntilCount("#main details.op", 30);
    assertThat(browser.waitFor("#nav").getText()).contains("order-engine API");
    browser.assertNoScriptErrors();
  }

  @Test
  void the_kitchen_display_shows_its_stations_tickets_live_and_a_tap_makes_a_dish_ready() throws Exception {
    node.post("/api/v1/tables/T25/open", WAITER, "{\"partySize\":2}", "t25-open");
    node.post("/api/v1/tables/T25/items", WAITER, "{\"items\":[{\"sku\":\"CR01\",\"qty\":1},{\"sku\":\"CR03\",\"qty\":1}]}",
        "t25-items");
    assertThat(node.post("/api/v1/tables/T25/fire", WAITER, null, "t25-fire").status()).isEqualTo(200);
    awaitTicketOnBoard("ROAST", "T25");

    browser.open(node.base() + "/kitchen?token=" + KITCHEN + "&station=ROAST");
    browser.waitFor("[data-ticket][data-table='T25']");
    browser.waitUntilAttribute("#live", "data-state", "open");

    // a tap on a dish: ready at the pass, for the waiter too
    browser.click("[data-table='T25'] [data-line='l1'][data-status='FIRED']");
    browser.waitFor("[data-table='T25'] [data-line='l1'][data-status='READY']");
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline
        && !node.get("/api/v1/tables/T25", WAITER).body().path("lines").get(0).path("status").asText().equals("READY")) {
      Thread.sleep(100);
    }
    assertThat(node.get("/api/v1/tables/T25", WAITER).body().path("lines").get(0).path("status").asText()).isEqualTo("READY");

    // a new order fired elsewhere appears without a reload; a voided dish leaves the screen
    node.post("/api/v1/tables/T26/open", WAITER, "{\"partySize\":2}", "t26-open");
    node.post("/api/v1/tables/T26/items", WAITER, "{\"items\":[{\"sku\":\"CR02\",\"qty\":2}]}", "t26-items");
    node.post("/api/v1/tables/T26/fire", WAITER, null, "t26-fire");
    browser.waitFor("[data-ticket][data-table='T26']");
    // a fired dish: voiding it takes a manager
    assertThat(node.post("/api/v1/tables/T25/items/l2/void", "demo-manager", "{\"reason\":\"changed their mind\"}",
        "t25-void").status()).isEqualTo(200);
    new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(20)).until(d ->
        d.findElements(org.openqa.selenium.By.cssSelector("[data-table='T25'] [data-line='l2'][data-status='FIRED']")).isEmpty());
    browser.snap("kitchen");
    browser.assertNoScriptErrors();
  }

  @Test
  void a_waiter_seats_orders_fires_bills_takes_cash_and_a_wallet_and_closes_on_the_pos() throws Exception {
    browser.open(node.base() + "/?token=" + WAITER);
    browser.waitUntilAttribute("body", "data-loaded", "true");
    browser.waitUntilCount("[data-table]", 30);

    // seat four at T27
    browser.click("[data-table='T27']");
    browser.type("#party-size", "4");
    browser.click("#open-table");
    browser.waitFor("[data-table='T27'][data-status='OPEN']");

    // a roast, and a milk tea with less ice; send, then fire to the kitchen
    browser.click("[data-sku='CR01']");
    browser.click("[data-sku='DR01']");
    browser.click("[data-option='LESS_ICE']");
    browser.click("#add-to-cart");
    browser.click("#send-items");
    browser.waitUntilCount("[data-line][data-status='ORDERED']", 2);
    browser.click("#fire");
    browser.waitUntilCount("[data-line][data-status='FIRED']", 2);
    JsonNode table = node.get("/api/v1/tables/T27", WAITER).body();
    assertThat(table.path("partySize").asInt()).isEqualTo(4);
    assertThat(table.path("subtotalMinor").asLong()).isEqualTo(4200 + 1500);

    // the kitchen calls a dish ready: the waiter's screen shows it without a reload
    JsonNode roast = table.path("lines").get(0);
    node.post("/api/v1/kitchen/tickets/" + roast.path("ticketId").asText() + "/lines/" + roast.path("lineId").asText()
        + "/ready", KITCHEN, null, "t27-ready");
    browser.waitFor("[data-line='" + roast.path("lineId").asText() + "'][data-status='READY']");

    // one bill; ¥30 in cash from a ¥50 note, the rest by the diner's WeChat
    browser.click("#bill");
    browser.click("[data-bill]");
    browser.click("[data-tender='CASH']");
    browser.type("#amount", "30");
    browser.type("#tendered", "50");
    browser.click("#pay");
    browser.waitUntilAttribute("#bill-status", "textContent", "PARTIALLY_PAID");
    assertThat(browser.waitFor("#change").getText()).contains("20.00");
    browser.snap("pos-cash");

    // the page refills the amount with what is due once the bill is read again: wait for that first
    browser.waitUntilAttribute("#amount", "value", "27.00");
    browser.click("[data-tender='WECHAT']");
    browser.type("#amount", "27");
    browser.click("#pay");
    browser.waitFor("img[src*='qr.svg']");
    String billId = node.get("/api/v1/tables/T27", WAITER).body().path("billIds").get(0).asText();
    String tradeNo = null;
    for (JsonNode p : node.get("/api/v1/bills/" + billId, WAITER).body().path("payments")) {
      if (p.path("method").asText().equals("WECHAT")) tradeNo = p.path("gatewayTradeNo").asText();
    }
    assertThat(node.post("/sandbox/wechat/trades/" + tradeNo + "/pay", null, null).status()).isEqualTo(200);
    browser.waitUntilAttribute("#bill-status", "textContent", "PAID");
    browser.waitUntilAttribute("#due", "textContent", "¥0.00");
    browser.snap("pos-paid");

    browser.click("#close-table");
    browser.waitFor("[data-table='T27'][data-status='CLOSED']");
    assertThat(node.get("/api/v1/tables/T27", WAITER).body().path("status").asText()).isEqualTo("CLOSED");
    JsonNode bill = node.get("/api/v1/bills/" + billId, WAITER).body();
    assertThat(bill.path("status").asText()).isEqualTo("PAID");
    assertThat(bill.path("paidMinor").asLong()).isEqualTo(5700);
    browser.assertNoScriptErrors();
  }

  /** The kitchen board is a projection: it shows a fired ticket a moment after the table has it. */
  private void awaitTicketOnBoard(String station, String table) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonNode t : node.get("/api/v1/kitchen/stations/" + station + "/tickets", KITCHEN).body().path("tickets")) {
        if (t.path("tableId").asText().equals(table)) return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no ticket of " + table + " on the " + station + " board after 20 s");
  }
}
