package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role matrix of the README, row by row, over real HTTP: each staff role the table allows gets
 * the answer the contract documents for that request (a success wherever the test can set one up,
 * else the named 4xx of the entity behind the role check), and every other role is refused 403
 * FORBIDDEN, as the table says. "Not 401 or 403" alone would let a 500 pass as "allowed".
 */
class RoleMatrixTest {
  static final List<String> ROLES = List.of("waiter", "cashier", "kitchen", "manager", "analyst");

  /**
   * {@code status} and {@code code} are what an allowed role gets; {@code because} says why, where
   * that is not a success. Placeholders: {t} each role's own table, {m} each role's table to move and
   * {to} where it goes,
   * {paid} a settled cash payment, {pending} a pending WeChat payment, {ticket} a fired ticket.
   */
  record Row(String what, String method, String path, String body, Set<String> allowed, int status, String code,
      String because) {
    Row(String what, String method, String path, String body, Set<String> allowed, int status) {
      this(what, method, path, body, allowed, status, null, null);
    }
  }

  static final Set<String> EVERYONE = Set.copyOf(ROLES);
  static final Set<String> FLOOR = Set.of("waiter", "cashier", "manager");
  static final Set<String> CASHIER = Set.of("cashier", "manager");
  static final Set<String> MANAGER = Set.of("manager");
  static final Set<String> ANALYST = Set.of("analyst", "manager");

  static final List<Row> MATRIX = List.of(
      new Row("read the menu", "GET", "/api/v1/menu", null, EVERYONE, 200),
      new Row("read tables", "GET", "/api/v1/tables/T01", null, EVERYONE, 200),
      new Row("read bills", "GET", "/api/v1/bills/T01-0001-B1", null, EVERYONE, 200),
      new Row("read payments", "GET", "/api/v1/payments/{paid}", null, EVERYONE, 200),
      new Row("read members", "GET", "/api/v1/members/M001", null, EVERYONE, 200),
      new Row("open", "POST", "/api/v1/tables/{t}/open", "{\"partySize\":2}", FLOOR, 201),
      new Row("order", "POST", "/api/v1/tables/{t}/items", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1},{\"sku\":\"SC02\",\"qty\":1}]}",
          FLOOR, 200),
      new Row("void", "POST", "/api/v1/tables/{t}/items/l2/void", "{\"reason\":\"x\"}", FLOOR, 200),
      new Row("fire", "POST", "/api/v1/tables/{t}/fire", null, FLOOR, 200),
      new Row("bill", "POST", "/api/v1/tables/{t}/bill", "{}", FLOOR, 201),
      new Row("transfer", "POST", "/api/v1/tables/{m}/transfer", "{\"toTableId\":\"{to}\"}", FLOOR, 200),
      new Row("close", "POST", "/api/v1/tables/{t}/close", null, FLOOR, 409, "BILLS_UNSETTLED",
          "the table's bill is not paid: the contract answers 409 until every bill is settled"),
      new Row("pay", "POST", "/api/v1/bills/T01-0001-B1/payments", "{\"method\":\"CARD\",\"amountMinor\":1}", FLOOR, 201),
      new Row("pay on a standalone terminal", "POST", "/api/v1/bills/T01-0001-B1/payments",
          "{\"method\":\"CARD\",\"amountMinor\":1,\"terminalRef\":\"R-{t}\",\"cardLast4\":\"4321\"}", FLOOR, 201),
      new Row("cancel a payment", "POST", "/api/v1/payments/{pending}/cancel", null, FLOOR, 200),
      new Row("discount", "POST", "/api/v1/bills/T01-0001-B1/discounts", "{\"type\":\"AMOUNT\",\"value\":1}", CASHIER, 201),
      new Row("refund", "POST", "/api/v1/bills/T01-0001-B1/refunds", "{\"paymentId\":\"{paid}\",\"amountMinor\":1}", CASHIER, 201),
      new Row("open a shift", "POST", "/api/v1/shifts", "{\"cashier\":\"c-{t}\",\"openingFloatMinor\":0}", CASHIER, 201),
      new Row("top up a member", "POST", "/api/v1/members/M001/topups", "{\"amountMinor\":100,\"method\":\"CASH\"}", CASHIER, 201),
      new Row("register a member", "POST", "/api/v1/members", "{\"memberId\":\"M{t}\",\"name\":\"x\",\"phone\":\"13800000000\"}",
          FLOOR, 201),
      new Row("kitchen ready", "POST", "/api/v1/kitchen/tickets/{ticket}/lines/l1/ready", null,
          Set.of("waiter", "cashier", "kitchen", "manager"), 200),
      new Row("edit the menu", "PUT", "/api/v1/menu/items/DR01/stock", "{\"stock\":null}", MANAGER, 200),
      new Row("table cards", "GET", "/api/v1/table-cards", null, MANAGER, 200),
      new Row("see the printers and their queues", "GET", "/api/v1/printers", null, EVERYONE, 200),
      new Row("set up a printer", "PUT", "/api/v1/printers/P9",
          "{\"host\":\"127.0.0.1\",\"port\":9,\"stations\":[\"BAR\"],\"paperWidthMm\":58}", Set.of(), 200, null,
          "shared/API.md: printers are the owner's (and the admin's), beyond what a manager may"),
      new Row("sales report", "GET", "/api/v1/reports/sales?groupBy=day", null, ANALYST, 200),
      new Row("reconciliation", "GET", "/api/v1/reports/reconciliation?provider=wechat", null, ANALYST, 200),
      new Row("stall settlement", "GET", "/api/v1/reports/stall-settlement", null, ANALYST, 200),
      new Row("card terminals", "GET", "/api/v1/reports/card-terminals", null, Set.of("cashier", "analyst", "manager"), 200),
      new Row("projection lag", "GET", "/api/v1/reports/projection-lag", null, ANALYST, 200),
      new Row("kitchen times", "GET", "/api/v1/reports/kitchen-times", null, ANALYST, 200),
      new Row("audit trail", "GET", "/api/v1/audit", null, MANAGER, 200),
      new Row("rebuild", "POST", "/api/v1/reports/projections/no-such/rebuild", null, Set.of(), 404, "NOT_FOUND",
          "the report tables hold every venue's rows: only the platform operator (admin) rebuilds them"));

  @Test
  void everyRoleGetsWhatTheReadmeSaysAndNothingElse(@TempDir Path dataDir) throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      assertThat(node.post("/api/v1/tables/T01/open", "demo-waiter", "{\"partySize\":2}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T01/items", "demo-waiter", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1}]}").status())
          .isEqualTo(200);
      TestNode.Answer fired = node.post("/api/v1/tables/T01/fire", "demo-waiter", null);
      assertThat(fired.status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tables/T01/bill", "demo-waiter", "{}").status()).isEqualTo(201);
      TestNode.Answer paid = node.post("/api/v1/bills/T01-0001-B1/payments", "demo-cashier",
          "{\"method\":\"CASH\",\"amountMinor\":100}");
      assertThat(paid.status()).as(paid.body().toString()).isEqualTo(201);
      TestNode.Answer pending = node.post("/api/v1/bills/T01-0001-B1/payments", "demo-cashier",
          "{\"method\":\"WECHAT\",\"amountMinor\":1}");
      assertThat(pending.status()).as(pending.body().toString()).isEqualTo(202);
      assertThat(node.post("/api/v1/members", "demo-waiter", "{\"memberId\":\"M001\",\"name\":\"x\",\"phone\":\"13800000001\"}")
          .status()).isEqualTo(201);
      Map<String, String> shared = Map.of(
          "{paid}", paid.body().path("paymentId").asText(),
          "{pending}", pending.body().path("paymentId").asText(),
          "{ticket}", fired.body().path("tickets").get(0).path("ticketId").asText());
      for (String role : ROLES) {
        String m = String.format("T%02d", 12 + ROLES.indexOf(role));
        assertThat(node.post("/api/v1/tables/" + m + "/open", "demo-waiter", "{\"partySize\":2}").status()).isEqualTo(201);
      }

      for (Row row : MATRIX) {
        for (String role : ROLES) {
          // each role its own table, so that one role's write does not decide the next one's answer
          String t = String.format("T%02d", 2 + ROLES.indexOf(role));
          String m = String.format("T%02d", 12 + ROLES.indexOf(role));
          String to = String.format("T%02d", 22 + ROLES.indexOf(role));
          String path = fill(row.path(), t, m, to, shared);
          String body = row.body() == null ? null : fill(row.body(), t, m, to, shared);
          TestNode.Answer answer = node.call(row.method(), path, "demo-" + role, body, null);
          String cell = row.what() + " by " + role + ": " + answer.body();
          if (row.allowed().contains(role)) {
            assertThat(answer.status()).as(cell + (row.because() == null ? "" : " (" + row.because() + ")"))
                .isEqualTo(row.status());
            if (row.code() != null) assertThat(answer.code()).as(cell).isEqualTo(row.code());
          } else {
            assertThat(answer.status()).as(cell).isEqualTo(403);
            assertThat(answer.code()).as(cell).isEqualTo("FORBIDDEN");
          }
        }
      }
    }
  }

  private static String fill(String template, String table, String toMove, String to, Map<String, String> shared) {
    String s = template.replace("{t}", table).replace("{m}", toMove).replace("{to}", to);
    for (Map.Entry<String, String> e : shared.entrySet()) s = s.replace(e.getKey(), e.getValue());
    return s;
  }
}
