package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Open for business from nothing, in the browser alone: a node with no demo venue and only the
 * platform admin's token; the admin creates a venue and hires its owner on {@code /admin}; the owner
 * signs in there with a PIN, sets up a stall, a station, a table and two dishes; then takes a first
 * order on the POS and is paid in cash.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPageInBrowserTest {
  private static final String ADMIN = "admin-" + java.util.UUID.randomUUID();

  private TestNode node;
  private Browser browser;

  /** A failing page test leaves a screenshot in target/browser-screenshots. */
  @RegisterExtension
  final TestExecutionExceptionHandler screenshotOnFailure = (ExtensionContext context, Throwable failure) -> {
    if (browser != null) browser.screenshot(Path.of("target", "browser-screenshots", context.getDisplayName() + ".png"));
    throw failure;
  };

  @BeforeAll
  void start() throws Exception {
    browser = Browser.start();
    Path dataDir = Files.createTempDirectory("admin-page-test");
    node = TestNode.start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(), List.of(), 0,
        false, ADMIN + ":admin", 0));
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (node != null) node.close();
  }

  @Test
  void a_new_owner_goes_from_an_empty_database_to_a_first_paid_order_in_the_browser() throws Exception {
    assertThat(node.get("/api/v1/venues", ADMIN).body().path("venues")).isEmpty();

    // the platform admin: a venue, and its owner with a PIN
    browser.open(node.base() + "/admin");
    browser.type("#si-token", ADMIN);
    browser.click("#si-use-token");
    browser.waitUntilAttribute("body", "data-loaded", "true");
    browser.click("[data-tab='venues']");
    browser.type("#nv-id", "V1");
    browser.type("#nv-name", "美食广场 First Court");
    browser.click("#nv-create");
    saved("[data-venue='V1']");

    browser.click("[data-tab='staff']");
    browser.type("#ns-id", "o1");
    browser.type("#ns-name", "王老板");
    new Select(browser.waitFor("#ns-role")).selectByValue("owner");
    browser.type("#ns-pin", "2468");
    browser.click("#ns-hire");
    saved("[data-staff='o1'][data-role='owner']");
    browser.snap("admin-staff");
    browser.click("#sign-out");

    // the owner signs in with the PIN and sets the venue up
    browser.type("#si-venue", "V1");
    browser.type("#si-staff", "o1");
    browser.type("#si-pin", "2468");
    browser.click("#si-go");
    browser.waitUntilAttribute("body", "data-loaded", "true");
    assertThat(browser.waitFor("#who").getText()).contains("V1");

    browser.click("[data-tab='stalls']");
    browser.type("#st-id", "S1");
    browser.type("#st-name", "川味小炒");
    browser.type("#st-name-en", "Sichuan Wok");
    browser.type("#st-commission", "10");
    browser.click("#st-save");
    saved("[data-stall='S1']");

    browser.click("[data-tab='stations']");
    browser.type("#sn-id", "WOK");
    browser.type("#sn-name", "炒锅");
    browser.type("#sn-name-en", "Wok");
    browser.click("#sn-save");
    saved("[data-station='WOK']");

    browser.click("[data-tab='tables']");
    browser.type("#tb-area", "大厅 Hall");
    browser.type("#tb-ids", "A1");
    browser.type("#tb-seats", "4");
    browser.click("#tb-add");
    saved("[data-area='大厅 Hall'] [data-table='A1']");

    browser.click("[data-tab='menu']");
    browser.type("#cat-id", "hot");
    browser.type("#cat-name", "热菜");
    browser.type("#cat-name-en", "Hot dishes");
    browser.click("#cat-save");
    saved("[data-category='hot']");
    dish("D1", "宫保鸡丁", "38");
    browser.click("#it-add-group");
    browser.type("#it-options [data-field='groupId']", "SIZE");
    browser.type("#it-options [data-field='name']", "份量 Size");
    browser.type("#it-options [data-field='choices']", "REGULAR, 标准 Regular\nEXTRA, 加量 Extra, 5.00");
    browser.click("#it-save");
    saved("[data-category='hot'] [data-sku='D1']");
    dish("D2", "米饭", "2.5");
    browser.click("#it-save");
    saved("[data-category='hot'] [data-sku='D2']");
    browser.snap("admin-menu");
    browser.assertNoScriptErrors();

    String owner = (String) browser.driver.executeScript("return localStorage.getItem('order-engine-token')");
    JsonNode menu = node.get("/api/v1/menu", owner).body();
    assertThat(menu.path("items")).hasSize(2);
    assertThat(menu.path("items").findValues("priceMinor").stream().map(JsonNode::asLong)).containsExactlyInAnyOrder(3800L, 250L);

    // the owner, still signed in, takes the first order on the POS
    browser.open(node.base() + "/");
    browser.waitUntilAttribute("body", "data-loaded", "true");
    browser.click("[data-table='A1']");
    browser.type("#party-size", "2");
    browser.click("#open-table");
    browser.waitFor("[data-table='A1'][data-status='OPEN']");
    browser.click("[data-sku='D1']");
    browser.click("[data-option='EXTRA']");
    browser.click("#add-to-cart");
    browser.click("[data-sku='D2']");
    browser.click("#send-items");
    browser.waitUntilCount("[data-line][data-status='ORDERED']", 2);
    browser.click("#bill");
    browser.click("[data-bill]");
    // part on the bank's own card terminal (no provider needed: the slip is recorded), the rest in cash
    browser.click("[data-tender='CARD']");
    browser.waitUntilAttribute("#amount", "value", "45.50");
    browser.type("#amount", "20.00");
    browser.type("#terminal-ref", "880012345678");
    browser.type("#card-last4", "6217");
    browser.type("#terminal-id", "T1");
    browser.click("#pay");
    browser.waitUntilAttribute("#bill-status", "textContent", "PARTIALLY_PAID");
    browser.click("[data-tender='CASH']");
    browser.waitUntilAttribute("#amount", "value", "25.50");
    browser.type("#tendered", "30");
    browser.click("#pay");
    browser.waitUntilAttribute("#bill-status", "textContent", "PAID");
    // a settled bill hides the tender form: its text, not what shows
    assertThat(browser.waitFor("#change").getAttribute("textContent")).contains("4.50");
    browser.snap("admin-first-paid-order");

    String billId = node.get("/api/v1/tables/A1", owner).body().path("billIds").get(0).asText();
    JsonNode bill = node.get("/api/v1/venues/V1/bills/" + billId, ADMIN).body();
    assertThat(bill.path("status").asText()).isEqualTo("PAID");
    assertThat(bill.path("paidMinor").asLong()).isEqualTo(4550);
    JsonNode card = bill.path("payments").get(0);
    assertThat(card.path("method").asText()).isEqualTo("CARD");
    assertThat(card.path("terminalRef").asText()).isEqualTo("880012345678");
    assertThat(card.path("cardLast4").asText()).isEqualTo("6217");
    assertThat(card.path("terminalId").asText()).isEqualTo("T1");
    browser.assertNoScriptErrors();
  }

  @Test
  void the_back_office_keeps_settings_a_floor_plan_staff_and_a_menu_from_a_file_and_shows_each_refusal() throws Exception {
    // a venue with a stall and a station, run by the admin on the page
    assertThat(node.call("POST", "/api/v1/venues", ADMIN,
        "{\"venueId\":\"V2\",\"name\":\"Night Market\",\"timeZone\":\"Asia/Shanghai\",\"currency\":\"CNY\"}", null).status())
        .isEqualTo(201);
    assertThat(node.call("PUT", "/api/v1/venues/V2/stalls/S1", ADMIN, "{\"name\":\"面馆\"}", null).status()).isEqualTo(200);
    assertThat(node.call("PUT", "/api/v1/venues/V2/stations/WOK", ADMIN, "{\"name\":\"炒锅\"}", null).status()).isEqualTo(200);
    browser.open(node.base() + "/admin");
    browser.driver.executeScript("localStorage.clear(); localStorage.setItem('order-engine-token', arguments[0]);"
        + "localStorage.setItem('order-engine-venue', 'V2'); location.reload()", ADMIN);
    browser.waitUntilAttribute("body", "data-loaded", "true");

    browser.click("[data-tab='settings']");
    browser.waitUntilAttribute("#set-name", "value", "Night Market");
    browser.type("#set-service", "10");
    new Select(browser.waitFor("#set-rounding")).selectByValue("jiao");
    browser.type("#set-max-amount", "12.5");
    browser.click("#set-save");
    browser.waitFor("#msg[data-kind='ok']");
    JsonNode settings = node.get("/api/v1/venues/V2", ADMIN).body().path("settings");
    assertThat(settings.path("serviceChargePercent").asInt()).isEqualTo(10);
    assertThat(settings.path("cashRounding").asText()).isEqualTo("jiao");
    assertThat(settings.path("cashierMaxDiscountMinor").asLong()).isEqualTo(1250);

    // a terrace of three tables at once; one seats six; one goes
    browser.click("[data-tab='tables']");
    browser.type("#tb-area", "露台 Terrace");
    browser.type("#tb-ids", "B01-B03");
    browser.type("#tb-seats", "2");
    browser.click("#tb-add");
    saved("[data-area='露台 Terrace'] [data-table='B03']");
    browser.type("[data-table='B02'] input[data-act='seats']", "6");
    browser.waitFor("[data-table='B02'] input[data-act='seats']").sendKeys(Keys.TAB);
    await(() -> seatsOf("V2", "B02") == 6, "B02 seats six");
    browser.click("[data-table='B03'] [data-act='delete-table']");
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(ExpectedConditions.alertIsPresent()).accept();
    await(() -> browser.all("[data-table='B03']").isEmpty(), "B03 removed from the floor plan");
    browser.snap("admin-floor");

    browser.click("[data-tab='cards']");
    browser.waitUntilCount("[data-card] svg", 2);

    // staff: hire, a refused PIN shows the problem's detail, change the role, reset the PIN, disable
    browser.click("[data-tab='staff']");
    browser.type("#ns-id", "c1");
    browser.type("#ns-name", "李娜");
    new Select(browser.waitFor("#ns-role")).selectByValue("cashier");
    browser.type("#ns-pin", "12");
    browser.click("#ns-hire");
    browser.waitFor("#msg[data-kind='bad']");
    assertThat(browser.waitFor("#msg").getText()).contains("4 to 12 digits").contains("VALIDATION_FAILED");
    browser.type("#ns-pin", "1357");
    browser.click("#ns-hire");
    saved("[data-staff='c1'][data-role='cashier']");
    new Select(browser.waitFor("[data-staff='c1'] select[data-act='role']")).selectByValue("waiter");
    browser.waitFor("[data-staff='c1'][data-role='waiter']");
    browser.click("[data-staff='c1'] [data-act='reset-pin']");
    var prompt = new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(ExpectedConditions.alertIsPresent());
    prompt.sendKeys("8642");
    prompt.accept();
    await(() -> node.call("POST", "/api/v1/venues/V2/sessions", null, "{\"staffId\":\"c1\",\"pin\":\"8642\"}", null)
        .status() == 201, "c1 signs in with the new PIN");
    browser.click("[data-staff='c1'] [data-act='disable']");
    browser.waitFor("[data-staff='c1'][data-disabled='true']");

    // the payment accounts: none connected; a bad key is refused with its field named, a good app connected
    browser.click("[data-tab='payments']");
    browser.waitFor("[data-provider='wechat'][data-configured='false']");
    browser.waitFor("[data-provider='alipay'][data-configured='false']");
    assertThat(browser.waitFor("#ali-notify").getAttribute("value")).endsWith("/api/v1/venues/V2/gateways/alipay/notify");
    var app = MerchantAccountsTest.rsa();
    browser.type("#ali-app", "2021000000000001");
    browser.type("#ali-key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----");
    browser.type("#ali-pub", MerchantAccountsTest.pem("PUBLIC KEY", MerchantAccountsTest.rsa().getPublic().getEncoded()).strip());
    browser.click("#ali-save");
    browser.waitFor("#msg[data-kind='bad']");
    assertThat(browser.waitFor("#msg").getText()).contains("appPrivateKeyPem");
    browser.type("#ali-key", MerchantAccountsTest.pem("PRIVATE KEY", app.getPrivate().getEncoded()).strip());
    browser.click("#ali-save");
    browser.waitFor("[data-provider='alipay'][data-configured='true']");
    browser.snap("admin-payments");
    assertThat(browser.waitFor("#ali-key").getAttribute("value")).as("the key leaves the page once kept").isEmpty();
    assertThat(node.get("/api/v1/venues/V2/payment-providers/alipay", ADMIN).body().path("appId").asText())
        .isEqualTo("2021000000000001");

    // the menu from a spreadsheet; a refused import names the entry; stock and sale from the menu's rows
    Path csv = Files.createTempFile("menu", ".csv");
    Files.writeString(csv, "sku,name,nameEn,category,stallId,stationId,priceMinor,available\r\nN1,牛肉面,Beef noodles,noodles,S1,WOK,2800,true\r\n");
    Path bad = Files.createTempFile("venue", ".json");
    Files.writeString(bad, "{\"items\":[{\"sku\":\"X1\",\"name\":\"x\",\"stallId\":\"S1\",\"stationId\":\"WOK\",\"priceMinor\":-1}]}");
    browser.click("[data-tab='data']");
    browser.waitFor("#csv-file").sendKeys(csv.toString());
    browser.click("#csv-upload");
    browser.waitFor("#msg[data-kind='ok']");
    browser.waitFor("#import-file").sendKeys(bad.toString());
    browser.click("#import");
    browser.waitFor("#msg[data-kind='bad']");
    assertThat(browser.waitFor("#import-problem").getText()).contains("items[0]").contains("VALIDATION_FAILED");
    browser.click("#export");
    browser.waitFor("#msg[data-kind='ok']");

    browser.click("[data-tab='menu']");
    browser.type("[data-sku='N1'] input[data-act='stock']", "5");
    browser.waitFor("[data-sku='N1'] input[data-act='stock']").sendKeys(Keys.TAB);
    await(() -> menuItem("V2", "N1").path("stock").asInt(-1) == 5, "N1 stock 5");
    browser.click("[data-sku='N1'] input[data-act='available']");
    await(() -> !menuItem("V2", "N1").path("available").asBoolean(true), "N1 off sale");
    assertThat(menuItem("V2", "N1").path("priceMinor").asLong()).isEqualTo(2800);
    browser.snap("admin-data");
    browser.assertNoScriptErrors();
  }

  private int seatsOf(String venue, String table) throws Exception {
    for (JsonNode t : node.get("/api/v1/venues/" + venue + "/export", ADMIN).body().path("tables")) {
      if (t.path("tableId").asText().equals(table)) return t.path("seats").asInt();
    }
    return -1;
  }

  private JsonNode menuItem(String venue, String sku) throws Exception {
    for (JsonNode i : node.get("/api/v1/venues/" + venue + "/menu", ADMIN).body().path("items")) {
      if (i.path("sku").asText().equals(sku)) return i;
    }
    return TestNode.JSON.createObjectNode();
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) return;
      Thread.sleep(200);
    }
    throw new AssertionError("not within 20 s: " + what);
  }

  /** Fills the dish form for a new dish of stall S1, station WOK, category hot. */
  private void dish(String sku, String name, String yuan) {
    browser.type("#it-sku", sku);
    browser.type("#it-name", name);
    new Select(browser.waitFor("#it-stall")).selectByValue("S1");
    new Select(browser.waitFor("#it-station")).selectByValue("WOK");
    new Select(browser.waitFor("#it-category")).selectByValue("hot");
    browser.type("#it-price", yuan);
  }

  /** The write shows its result ({@code css}), or the page shows the refusal: then the test fails with its detail. */
  private void saved(String css) {
    new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d ->
        !d.findElements(By.cssSelector(css)).isEmpty() || !d.findElements(By.cssSelector("#msg[data-kind='bad']")).isEmpty());
    WebElement msg = browser.waitFor("#msg");
    assertThat(msg.getAttribute("data-kind")).as(msg.getText()).isEqualTo("ok");
  }
}
