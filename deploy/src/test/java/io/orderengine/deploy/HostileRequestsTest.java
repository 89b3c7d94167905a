package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile and malformed requests thrown at a real node over HTTP: broken JSON, wrong types, huge
 * and negative numbers, overlong ids, control characters, wrong content types, unknown routes, bad
 * tokens. None may get a 5xx or a stack trace; every refusal is problem+json with a stable code;
 * the node stays healthy throughout.
 */
class HostileRequestsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Path dataDir;
  private static TestNode node;

  @BeforeContainer
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("hostile");
    node = TestNode.start(dataDir);
    // a table with an order and a bill, so that some hostile requests reach real entities
    expect(node.post("/api/v1/tables/T01/open", "demo-waiter", "{\"partySize\":2}"), 201);
    expect(node.post("/api/v1/tables/T01/items", "demo-waiter", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1}]}"), 200);
    expect(node.post("/api/v1/tables/T01/bill", "demo-waiter", "{\"split\":{\"mode\":\"WHOLE\"}}"), 201);
  }

  /** Setup that silently failed would leave the hostile requests nothing real to hit. */
  private static TestNode.Answer expect(TestNode.Answer answer, int status) {
    if (answer.status() != status) throw new AssertionError("setup: expected " + status + ", got " + answer.status() + " " + answer.body());
    return answer;
  }

  @AfterContainer
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  record Hostile(String method, String path, String token, String contentType, byte[] body) {
    @Override
    public String toString() {
      return visible(method + " " + path + " [" + token + ", " + contentType + "] "
          + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger TRIES = new java.util.concurrent.atomic.AtomicInteger();

  @Property(tries = 400)
  void noHostileRequestGetsA5xxOrAStackTrace(@ForAll("hostile") Hostile h) throws Exception {
    HttpResponse<String> r = send(h);
    if (TRIES.incrementAndGet() % 50 == 0) theNodeStaysHealthyAndTheBillsBooksAddUp();
    net.jqwik.api.statistics.Statistics.collect(r.statusCode());
    assertThat(r.statusCode()).as(h.toString()).isBetween(200, 499);
    assertThat(r.body()).as(h.toString()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
    if (r.statusCode() >= 400) {
      assertThat(r.headers().firstValue("Content-Type").orElse("")).as(h.toString()).startsWith("application/problem+json");
      JsonNode problem = TestNode.JSON.readTree(r.body());
      assertThat(problem.path("code").asText()).as(h.toString()).matches("[A-Z][A-Z_]+");
      assertThat(problem.path("status").asInt()).isEqualTo(r.statusCode());
    }
  }

  /** Whenever it runs (jqwik does not promise an order): the node answers, and the bill's books add up. */
  @Example
  void theNodeStaysHealthyAndTheBillsBooksAddUp() throws Exception {
    assertThat(node.get("/health/ready", null).status()).isEqualTo(200);
    TestNode.Answer read = node.get("/api/v1/bills/T01-0001-B1", "demo-cashier");
    // a missing bill would read as paid 0 of total 0 and add up: it must be there, with its one dish
    assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
    JsonNode bill = read.body();
    assertThat(bill.path("billId").asText()).isEqualTo("T01-0001-B1");
    assertThat(bill.path("subtotalMinor").asLong()).isEqualTo(1500);
    long listed = 0;
    for (JsonNode p : bill.path("payments")) if (p.path("status").asText().equals("SUCCEEDED")) listed += p.path("amountMinor").asLong();
    assertThat(bill.path("paidMinor").asLong()).isEqualTo(listed).isLessThanOrEqualTo(bill.path("totalMinor").asLong());
  }

  @Example
  void aMegabyteBodyIs413() throws Exception {
    byte[] big = ("{\"lines\":[" + "{\"sku\":\"DR01\",\"qty\":1},".repeat(45_000) + "{\"sku\":\"DR01\",\"qty\":1}]}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(big.length).isGreaterThan(1_000_000);
    HttpResponse<String> r = send(new Hostile("POST", "/api/v1/tables/T06/items", "demo-waiter", "application/json", big));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(TestNode.JSON.readTree(r.body()).path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(r.body()).doesNotContain("Exception");
    assertThat(node.get("/api/v1/tables/T06", "demo-waiter").body().path("status").asText()).isEqualTo("FREE");
  }

  @Example
  void whatTheParserRefusesIsAProblemToo() throws Exception {
    HttpResponse<String> longUri = send(new Hostile("GET", "/api/v1/tables/" + "T".repeat(5000), "demo-waiter", null,
        new byte[0]));
    assertThat(longUri.statusCode()).isEqualTo(414);
    assertThat(TestNode.JSON.readTree(longUri.body()).path("code").asText()).isEqualTo("URI_TOO_LONG");
    HttpResponse<String> unknown = send(new Hostile("GET", "/api/v1/no-such-thing", "demo-waiter", null, new byte[0]));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestNode.JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("NOT_FOUND");
  }

  @Example
  void aWrongContentTypeIs415() throws Exception {
    HttpResponse<String> r = send(new Hostile("POST", "/api/v1/tables/T03/open", "demo-waiter",
        "application/x-www-form-urlencoded", "partySize=2".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(TestNode.JSON.readTree(r.body()).path("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(node.get("/api/v1/tables/T03", "demo-waiter").body().path("status").asText()).isEqualTo("FREE");
  }

  @Example
  void aBadTokenIs401AndRolesAreKeptApart() throws Exception {
    assertThat(node.get("/api/v1/tables", "not-a-token").status()).isEqualTo(401);
    assertThat(node.get("/api/v1/tables", "not-a-token").code()).isEqualTo("UNAUTHORIZED");
    assertThat(node.get("/api/v1/tables", null).status()).isEqualTo(401);
    assertThat(node.call("PUT", "/api/v1/menu/items/DR01", "demo-kitchen",
        "{\"name\":\"x\",\"stallId\":\"S1\",\"stationId\":\"bar\",\"category\":\"drinks\",\"priceMinor\":1,\"available\":true}",
        null).status()).isEqualTo(403);
    assertThat(node.call("PUT", "/api/v1/menu/items/DR01/stock", "demo-kitchen", "{\"stock\":0}", null).status())
        .isEqualTo(403);
    assertThat(node.get("/api/v1/reports/sales?groupBy=day", "demo-kitchen").status()).isEqualTo(403);
    assertThat(node.get("/api/v1/reports/reconciliation", "demo-kitchen").status()).isEqualTo(403);
    assertThat(node.post("/api/v1/bills/T01-0001-B1/discounts", "demo-waiter", "{\"type\":\"PERCENT\",\"value\":50}")
        .status()).isEqualTo(403);
    assertThat(node.post("/api/v1/bills/T01-0001-B1/discounts", "demo-cashier", "{\"type\":\"PERCENT\",\"value\":50}")
        .code()).isEqualTo("DISCOUNT_LIMIT_EXCEEDED");
  }

  @Example
  void aManagerApprovesWhatAWaiterOrCashierMayNotDoAlone() throws Exception {
    node.post("/api/v1/tables/T04/open", "demo-waiter", "{\"partySize\":2}");
    node.post("/api/v1/tables/T04/items", "demo-waiter", "{\"items\":[{\"sku\":\"SC01\",\"qty\":1},{\"sku\":\"DR01\",\"qty\":1}]}");
    // before firing a waiter voids alone; after firing it takes a manager
    assertThat(node.post("/api/v1/tables/T04/items/l2/void", "demo-waiter", "{\"reason\":\"typo\"}").status()).isEqualTo(200);
    node.post("/api/v1/tables/T04/fire", "demo-waiter", null);
    String voidL1 = "/api/v1/tables/T04/items/l1/void";
    assertThat(node.post(voidL1, "demo-waiter", "{\"reason\":\"too slow\"}", "void-t04-l1").code())
        .isEqualTo("APPROVAL_REQUIRED");
    assertThat(node.call("POST", voidL1, "demo-waiter", "{\"reason\":\"too slow\"}", null,
        java.util.Map.of("X-Manager-Approval", "demo-cashier")).code()).isEqualTo("APPROVAL_REJECTED");
    assertThat(node.get("/api/v1/tables/T04", "demo-waiter").body().path("lines").get(0).path("status").asText())
        .isEqualTo("FIRED");
    // the same request under the same key, now with the manager's token: the refusal was not kept
    assertThat(node.call("POST", voidL1, "demo-waiter", "{\"reason\":\"too slow\"}", "void-t04-l1",
        java.util.Map.of("X-Manager-Approval", "demo-manager")).status()).isEqualTo(200);

    expect(node.post("/api/v1/tables/T05/open", "demo-waiter", "{\"partySize\":2}"), 201);
    expect(node.post("/api/v1/tables/T05/items", "demo-waiter", "{\"items\":[{\"sku\":\"SC01\",\"qty\":2}]}"), 200);
    String bill = expect(node.post("/api/v1/tables/T05/bill", "demo-waiter", "{}"), 201).body().path("bills").get(0)
        .path("billId").asText();
    String half = "{\"type\":\"PERCENT\",\"value\":50,\"reason\":\"birthday\"}";
    assertThat(node.post("/api/v1/bills/" + bill + "/discounts", "demo-cashier", half).code())
        .isEqualTo("DISCOUNT_LIMIT_EXCEEDED");
    TestNode.Answer approved = node.call("POST", "/api/v1/bills/" + bill + "/discounts", "demo-cashier", half, null,
        java.util.Map.of("X-Manager-Approval", "demo-manager"));
    assertThat(approved.status()).isEqualTo(201);
    assertThat(approved.body().path("discountMinor").asLong()).isEqualTo(approved.body().path("subtotalMinor").asLong() / 2);

    // and the audit trail says who did it, who approved it, and what was refused
    assertThat(node.get("/api/v1/audit", "demo-kitchen").status()).isEqualTo(403);
    assertThat(node.get("/api/v1/audit?limit=0", "demo-manager").status()).isEqualTo(400);
    // each entry is stored before its answer is sent: the trail already holds every one of them
    JsonNode voids = node.get("/api/v1/audit?action=void&who=demo-waiter", "demo-manager").body().path("rows");
    JsonNode discounts = node.get("/api/v1/audit?action=discount", "demo-manager").body().path("rows");
    assertThat(voids.isArray()).as(voids.toString()).isTrue();
    assertThat(discounts.isArray()).as(discounts.toString()).isTrue();
    // the hostile property may add voids of its own elsewhere (jqwik promises no order): T04's are exactly these
    assertThat(java.util.stream.StreamSupport.stream(voids.spliterator(), false)
        .filter(r -> r.path("path").asText().startsWith("/api/v1/tables/T04/"))
        .map(r -> r.path("path").asText().replace("/api/v1/tables/T04/items/", "") + " " + r.path("status").asInt() + " "
            + r.path("code").asText("-") + " " + r.path("approvedBy").asText("-")))
        .containsExactlyInAnyOrder("l2/void 200 - -", "l1/void 403 APPROVAL_REQUIRED -", "l1/void 403 APPROVAL_REJECTED -",
            "l1/void 200 - demo-manager");
    assertThat(java.util.stream.StreamSupport.stream(discounts.spliterator(), false)
        .filter(r -> r.path("path").asText().equals("/api/v1/bills/" + bill + "/discounts"))
        .map(r -> r.path("status").asInt() + " " + r.path("code").asText("-") + " " + r.path("approvedBy").asText("-")))
        .containsExactlyInAnyOrder("403 DISCOUNT_LIMIT_EXCEEDED -", "201 - demo-manager");
    JsonNode approvedVoid = java.util.stream.StreamSupport.stream(voids.spliterator(), false)
        .filter(r -> r.path("status").asInt() == 200 && r.path("path").asText().endsWith("/l1/void")).findFirst().orElseThrow();
    assertThat(approvedVoid.path("approvedBy").asText()).isEqualTo("demo-manager");
    assertThat(approvedVoid.path("role").asText()).isEqualTo("waiter");
    assertThat(java.util.stream.StreamSupport.stream(voids.spliterator(), false).map(r -> r.path("code").asText()))
        .contains("APPROVAL_REQUIRED");
    assertThat(discounts.findValuesAsText("code")).contains("DISCOUNT_LIMIT_EXCEEDED");
    // so are the attempts refused before any work: an approval that is not a manager's, a role that may not
    assertThat(java.util.stream.StreamSupport.stream(voids.spliterator(), false).map(r -> r.path("code").asText()))
        .contains("APPROVAL_REJECTED");
    assertThat(node.call("PUT", "/api/v1/menu/items/SC01/stock", "demo-kitchen", "{\"stock\":0}", null).code())
        .isEqualTo("FORBIDDEN");
    JsonNode kitchen = node.get("/api/v1/audit?who=demo-kitchen", "demo-manager").body().path("rows");
    assertThat(java.util.stream.StreamSupport.stream(kitchen.spliterator(), false)
        .filter(r -> r.path("path").asText().equals("/api/v1/menu/items/SC01/stock") && r.path("status").asInt() == 403
            && r.path("code").asText().equals("FORBIDDEN") && r.path("role").asText().equals("kitchen"))
        .count()).isEqualTo(1);
    // and the stock was not touched: the dish is still without a limit
    JsonNode sc01 = java.util.stream.StreamSupport.stream(
            node.get("/api/v1/menu", "demo-waiter").body().path("items").spliterator(), false)
        .filter(i -> i.path("sku").asText().equals("SC01")).findFirst().orElseThrow();
    assertThat(sc01.path("stock").isNull()).isTrue();
  }

  private static HttpResponse<String> send(Hostile h) throws Exception {
    HttpRequest.Builder b;
    // the JDK client cannot send a lone surrogate (it fails inside); UTF-8 makes it a '?'
    String path = new String(h.path().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    try {
      b = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(Duration.ofSeconds(30));
    } catch (IllegalArgumentException notAUri) {
      // the client refuses to send what is not a URI at all; send it percent-encoded instead
      b = HttpRequest.newBuilder(URI.create(node.base() + encode(path))).timeout(Duration.ofSeconds(30));
    }
    if (h.token() != null) {
      // the JDK client will not send control characters or edge whitespace in a header; anything else goes
      String token = h.token().replaceAll("[\\x00-\\x1f\\x7f]", "?").strip();
      b.header("Authorization", token.isEmpty() ? "Bearer" : "Bearer " + token);
    }
    if (h.contentType() != null) b.header("Content-Type", h.contentType());
    b.method(h.method(), h.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(h.body()));
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.IOException("sending " + h + " failed: " + e, e);
    }
  }

  private static String visible(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c >= 0x7f) out.append(String.format("\\u%04x", c));
      else out.appendCodePoint(c);
    });
    return out.toString();
  }

  private static String encode(String path) {
    StringBuilder out = new StringBuilder();
    for (byte c : path.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u > 0x20 && u < 0x7f && "\"<>\\^`{|}% ".indexOf(u) < 0) out.append((char) u);
      else out.append('%').append(String.format("%02X", u));
    }
    return out.toString();
  }

  private static final List<String> TEMPLATES = List.of(
      "GET /api/v1/tables/{id}", "GET /api/v1/bills/{id}", "GET /api/v1/payments/{id}", "GET /api/v1/members/{id}",
      "GET /api/v1/kitchen/stations/{id}/tickets", "GET /api/v1/reports/sales?groupBy={id}&from={id}",
      "GET /api/v1/reports/reconciliation?date={id}", "GET /api/v1/reports/stall-settlement?date={id}",
      "GET /api/v1/reports/kitchen-times?date={id}", "GET /api/v1/tables/{id}/card", "GET /t/{id}",
      "POST /api/v1/tables/{id}/open", "POST /api/v1/tables/{id}/items", "POST /api/v1/tables/{id}/fire",
      "POST /api/v1/tables/{id}/bill", "POST /api/v1/tables/{id}/close", "POST /api/v1/tables/{id}/transfer",
      "POST /api/v1/tables/T01/items/{id}/void", "POST /api/v1/bills/{id}/payments",
      "POST /api/v1/bills/T01-0001-B1/payments", "POST /api/v1/bills/T01-0001-B1/discounts",
      "POST /api/v1/bills/T01-0001-B1/refunds", "POST /api/v1/payments/{id}/cancel", "POST /api/v1/members",
      "POST /api/v1/members/{id}/topups", "POST /api/v1/shifts", "POST /api/v1/shifts/{id}/close",
      "PUT /api/v1/menu/items/{id}", "PUT /api/v1/menu/items/{id}/stock",
      "POST /api/v1/kitchen/tickets/{id}/lines/{id}/ready", "POST /api/v1/gateways/{id}/notify",
      "POST /sandbox/wechat/trades/{id}/pay", "DELETE /api/v1/tables/{id}", "PATCH /api/v1/bills/{id}",
      "GET /api/v1/{id}", "GET /{id}", "POST /api/v2/tables/{id}/open");

  @Provide
  Arbitrary<Hostile> hostile() {
    Arbitrary<String> ids = Arbitraries.oneOf(
        Arbitraries.of("T01", "T02", "T01-0001-B1", "DR01", "M001", "wechat", "bar", "day", "2026-11-24"),
        Arbitraries.strings().alpha().numeric().ofMinLength(33).ofMaxLength(300),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
        Arbitraries.strings().withChars("\u0000\u0001\u001f\u007f\r\n\t%./\\'\";<>{}`$").ofMinLength(1).ofMaxLength(12),
        Arbitraries.of("..", "../../etc/passwd", "%00", "%2e%2e", "-1", "99999999999999999999", "T01%0d%0aX: y",
            "' OR 1=1 --", "<script>alert(1)</script>", "叉烧饭", "\uD83C\uDF5C", ""));
    Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH");
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("demo-waiter", "demo-cashier", "demo-kitchen", "demo-manager", "demo-analyst"),
        Arbitraries.of("", "demo-waiter\u0000", "dt1.T01.forged", "dt1..", "Bearer demo-manager"),
        Arbitraries.strings().ascii().ofMaxLength(80),
        Arbitraries.just(null));
    Arbitrary<String> contentType = Arbitraries.oneOf(
        Arbitraries.of("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
            "application/xml", "multipart/form-data; boundary=x", "application/json; charset=latin-1", "*/*"),
        Arbitraries.just(null));
    Arbitrary<byte[]> body = Arbitraries.oneOf(jsonBodies().map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    // the template's method most of the time, any method some of the time
    return Combinators.combine(Arbitraries.of(TEMPLATES), ids, ids, method, Arbitraries.integers().between(0, 9), token,
            contentType, body)
        .as((t, a, b, m, dice, tok, ct, bytes) -> new Hostile(dice < 8 ? t.substring(0, t.indexOf(' ')) : m,
            t.substring(t.indexOf(' ') + 1).replaceFirst("\\{id}", escapeReplacement(a)).replace("{id}", b),
            tok, ct, bytes));
  }

  private static String escapeReplacement(String s) {
    return java.util.regex.Matcher.quoteReplacement(s);
  }

  /** Bodies that look like the API's own, with a field broken: wrong type, out of range, truncated, hostile. */
  private static Arbitrary<String> jsonBodies() {
    Arbitrary<String> field = Arbitraries.of("partySize", "lines", "sku", "qty", "method", "amountMinor",
        "tenderedMinor", "authCode", "type", "value", "reason", "paymentId", "stock", "priceMinor", "memberId",
        "split", "mode", "toTableId", "cashier", "openingFloatMinor", "countedMinor", "seat", "note", "options",
        "name", "phone", "stallId", "stationId", "category", "available", "waiter", "lineIds", "parts");
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.of("0", "-1", "1", "2", "-9223372036854775808", "9223372036854775807", "9223372036854775808",
            "1e308", "-1e309", "NaN", "0.5", "1.0000000001", "true", "null", "[]", "{}", "\"\"", "\"CASH\"",
            "\"WECHAT\"", "\"PERCENT\"", "\"AMOUNT\"", "\"WHOLE\"", "\"EVEN\"", "\"T02\"", "\"DR01\"",
            "[{\"sku\":\"DR01\",\"qty\":-5}]", "[{\"sku\":\"DR01\",\"qty\":100000000}]", "[{\"sku\":null}]",
            "{\"mode\":\"EVEN\",\"parts\":0}", "{\"mode\":\"EVEN\",\"parts\":-3}", "\"\\u0000\"", "\"\u202e\"",
            "[" + "[".repeat(2000) + "]".repeat(2000) + "]"),
        Arbitraries.strings().all().ofMaxLength(50).map(s -> TestNode.JSON.getNodeFactory().textNode(s).toString()),
        Arbitraries.longs().map(Object::toString),
        Arbitraries.strings().alpha().ofMinLength(300).ofMaxLength(5000).map(s -> "\"" + s + "\""));
    Arbitrary<String> object = Combinators.combine(field, value, field, value)
        .as((f1, v1, f2, v2) -> "{\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + "}");
    return Arbitraries.oneOf(object,
        object.map(o -> o.substring(0, Math.max(1, o.length() / 2))),
        object.map(o -> o.replace("\"", "'")),
        object.map(o -> "[" + o + "]"),
        Arbitraries.of("", "null", "{", "}", "{\"a\":}", "{\"lines\":[{\"sku\":\"DR01\",\"qty\":1}]", "\uFEFF{}",
            "{\"partySize\":2}{\"partySize\":3}", "{\"partySize\":2,\"partySize\":3}"));
  }
}
