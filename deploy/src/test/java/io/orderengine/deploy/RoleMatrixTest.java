package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The role matrix of the README, row by row, over real HTTP: each staff role either gets past the
 * role check (whatever the request then says) or is refused 403 FORBIDDEN, as the table says.
 */
class RoleMatrixTest {
  static final List<String> ROLES = List.of("waiter", "cashier", "kitchen", "manager", "analyst");

  record Row(String what, String method, String path, String body, Set<String> allowed) {}

  static final Set<String> EVERYONE = Set.copyOf(ROLES);
  static final Set<String> FLOOR = Set.of("waiter", "cashier", "manager");
  static final Set<String> CASHIER = Set.of("cashier", "manager");
  static final Set<String> MANAGER = Set.of("manager");
  static final Set<String> ANALYST = Set.of("analyst", "manager");

  static final List<Row> MATRIX = List.of(
      new Row("read the menu", "GET", "/api/v1/menu", null, EVERYONE),
      new Row("read tables", "GET", "/api/v1/tables/T01", null, EVERYONE),
      new Row("read bills", "GET", "/api/v1/bills/T01-0001-B1", null, EVERYONE),
      new Row("read members", "GET", "/api/v1/members/M404", null, EVERYONE),
      new Row("open", "POST", "/api/v1/tables/{t}/open", "{\"partySize\":2}", FLOOR),
      new Row("order", "POST", "/api/v1/tables/{t}/items", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1}]}", FLOOR),
      new Row("fire", "POST", "/api/v1/tables/{t}/fire", null, FLOOR),
      new Row("bill", "POST", "/api/v1/tables/{t}/bill", "{}", FLOOR),
      new Row("transfer", "POST", "/api/v1/tables/{t}/transfer", "{\"toTableId\":\"T29\"}", FLOOR),
      new Row("close", "POST", "/api/v1/tables/{t}/close", null, FLOOR),
      new Row("void", "POST", "/api/v1/tables/{t}/items/l9/void", "{\"reason\":\"x\"}", FLOOR),
      new Row("pay", "POST", "/api/v1/bills/T01-0001-B1/payments", "{\"method\":\"CARD\",\"amountMinor\":1}", FLOOR),
      new Row("cancel a payment", "POST", "/api/v1/payments/P404/cancel", null, FLOOR),
      new Row("discount", "POST", "/api/v1/bills/T01-0001-B1/discounts", "{\"type\":\"AMOUNT\",\"value\":1}", CASHIER),
      new Row("refund", "POST", "/api/v1/bills/T01-0001-B1/refunds", "{\"paymentId\":\"P404\",\"amountMinor\":1}", CASHIER),
      new Row("open a shift", "POST", "/api/v1/shifts", "{\"cashier\":\"c-{t}\",\"openingFloatMinor\":0}", CASHIER),
      new Row("top up a member", "POST", "/api/v1/members/M404/topups", "{\"amountMinor\":100,\"method\":\"CASH\"}", CASHIER),
      new Row("register a member", "POST", "/api/v1/members", "{\"memberId\":\"M{t}\",\"name\":\"x\",\"phone\":\"13800000000\"}", FLOOR),
      new Row("kitchen ready", "POST", "/api/v1/kitchen/tickets/K404/lines/l1/ready", null,
          Set.of("waiter", "cashier", "kitchen", "manager")),
      new Row("edit the menu", "PUT", "/api/v1/menu/items/DR01/stock", "{\"stock\":null}", MANAGER),
      new Row("table cards", "GET", "/api/v1/table-cards", null, MANAGER),
      new Row("sales report", "GET", "/api/v1/reports/sales?groupBy=day", null, ANALYST),
      new Row("reconciliation", "GET", "/api/v1/reports/reconciliation?provider=wechat", null, ANALYST),
      new Row("stall settlement", "GET", "/api/v1/reports/stall-settlement", null, ANALYST),
      new Row("projection lag", "GET", "/api/v1/reports/projection-lag", null, ANALYST),
      new Row("kitchen times", "GET", "/api/v1/reports/kitchen-times", null, ANALYST),
      new Row("audit trail", "GET", "/api/v1/audit", null, MANAGER),
      new Row("rebuild", "POST", "/api/v1/reports/projections/no-such/rebuild", null, MANAGER));

  @Test
  void everyRoleGetsWhatTheReadmeSaysAndNothingElse(@TempDir Path dataDir) throws Exception {
    try (TestNode node = TestNode.start(dataDir)) {
      node.post("/api/v1/tables/T01/open", "demo-waiter", "{\"partySize\":2}");
      node.post("/api/v1/tables/T01/items", "demo-waiter", "{\"items\":[{\"sku\":\"DR01\",\"qty\":1}]}");
      node.post("/api/v1/tables/T01/bill", "demo-waiter", "{}");
      for (Row row : MATRIX) {
        for (String role : ROLES) {
          // each role its own table, so that one role's write does not decide the next one's answer
          String t = String.format("T%02d", 2 + ROLES.indexOf(role));
          String path = row.path().replace("{t}", t);
          String body = row.body() == null ? null : row.body().replace("{t}", t);
          TestNode.Answer answer = node.call(row.method(), path, "demo-" + role, body, null);
          if (row.allowed().contains(role)) {
            assertThat(answer.status()).as(row.what() + " by " + role + ": " + answer.body()).isNotIn(401, 403);
          } else {
            assertThat(answer.status()).as(row.what() + " by " + role).isEqualTo(403);
            assertThat(answer.code()).as(row.what() + " by " + role).isEqualTo("FORBIDDEN");
          }
        }
      }
    }
  }
}
