package io.orderengine.projections;

import static io.orderengine.projections.SalesProjectionTest.NOON;
import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.member.Member;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A database of the release before venues (its DDL kept in {@code db/before-venues/}) upgraded in
 * place by this release's scripts, run twice as two node starts would: every row it held is of the
 * venue {@code main}, its tables and keys end up as a new database's, and a second venue's
 * same-named member fits beside the first's.
 */
class SchemaUpgradeTest {
  static final List<String> BEFORE_VENUES = List.of("db/before-venues/kitchen.sql", "db/before-venues/reports.sql");
  static final List<String> TABLES = List.of("report_bills", "report_bill_lines", "report_payments", "report_refunds",
      "report_members", "report_member_movements", "kitchen_ticket_lines", "kitchen_order_moves");

  @Test
  void aDatabaseMadeBeforeVenuesUpgradesInPlaceAndItsRowsAreOfVenueMain() throws Exception {
    try (ReportDatabase db = ReportDatabase.startWith(BEFORE_VENUES)) {
      // rows as the previous release projected them
      db.execute("INSERT INTO report_bills (bill_id, table_id, order_id, business_date, opened_at, status, part, parts, "
          + "subtotal_minor, total_minor, paid_minor) VALUES ('A1-0001-B1', 'A1', 'A1-0001', DATE '2026-11-24', now(), 'PAID', "
          + "1, 1, 1500, 1500, 1500)");
      db.execute("INSERT INTO report_bill_lines (bill_id, line_id, sku, name, stall_id, qty, unit_price_minor, amount_minor, "
          + "net_minor) VALUES ('A1-0001-B1', 'l1', 'DR01', '珍珠奶茶', 'S5', 1, 1500, 1500, 1500)");
      db.execute("INSERT INTO report_payments (payment_id, bill_id, method, amount_minor, tendered_minor, change_minor, status, "
          + "created_at) VALUES ('A1-0001-B1-P1', 'A1-0001-B1', 'CASH', 1500, 1500, 0, 'SUCCEEDED', now())");
      db.execute("INSERT INTO report_refunds (refund_id, payment_id, bill_id, method, amount_minor, status, created_at) "
          + "VALUES ('A1-0001-B1-P1-R1', 'A1-0001-B1-P1', 'A1-0001-B1', 'CASH', 100, 'SUCCEEDED', now())");
      db.execute("INSERT INTO report_members (member_id, since, balance_minor, topped_up_minor) VALUES ('M001', now(), 20000, 20000)");
      db.execute("INSERT INTO report_member_movements (member_id, movement_id, kind, amount_minor, method, at) "
          + "VALUES ('M001', 'topup:k1', 'TOP_UP', 20000, 'CASH', now())");
      db.execute("INSERT INTO kitchen_ticket_lines (ticket_id, line_id, table_id, order_id, station_id, sku, name, qty, status, "
          + "fired_at) VALUES ('A1-0001-K1', 'l1', 'A1', 'A1-0001', 'BAR', 'DR01', '珍珠奶茶', 1, 'FIRED', now())");
      db.execute("INSERT INTO kitchen_order_moves (order_id, table_id, moved_at) VALUES ('A1-0001', 'B2', now())");

      // two node starts of this release
      db.apply(db.dataSource(), ReportDatabase.SCRIPTS);
      db.apply(db.dataSource(), ReportDatabase.SCRIPTS);

      for (String table : TABLES) {
        assertThat(db.rows("SELECT venue_id, count(*) AS n FROM " + table + " GROUP BY venue_id")).as(table)
            .containsExactly(Map.of("venue_id", "main", "n", 1L));
      }

      // the same columns and the same indexes, keys included, as a database this release made
      DataSource fresh = db.newDatabase("fresh");
      db.apply(fresh, ReportDatabase.SCRIPTS);
      String columns = "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
          + "WHERE table_schema = 'public' ORDER BY table_name, column_name";
      assertThat(db.rows(columns)).isEqualTo(ReportDatabase.rows(fresh, columns));
      String indexes = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname";
      assertThat(db.rows(indexes)).isEqualTo(ReportDatabase.rows(fresh, indexes));
      assertThat(db.rows(indexes)).extracting(r -> r.get("indexname")).contains("report_members_venue_key",
          "report_member_movements_venue_key", "report_bills_venue_date", "kitchen_ticket_lines_venue_open");

      // this release's projections on the upgraded tables: main's member goes on, V2's own M001 fits beside
      MemberProjection members = new MemberProjection();
      db.handle(members, "Member|M001", new Member.Debited("M001", "A1-0001-B2-P1", 1000, 10, NOON));
      db.handle(members, "Member|V2.M001", new Member.Registered("V2.M001", "李娜", null, NOON),
          new Member.ToppedUp("V2.M001", "topup:k1", 5000, "CASH", NOON));
      db.handle(members, "Member|V2.M001", new Member.ToppedUp("V2.M001", "topup:k1", 5000, "CASH", NOON));
      assertThat(db.rows("SELECT venue_id, member_id, balance_minor FROM report_members ORDER BY venue_id")).containsExactly(
          Map.of("venue_id", "V2", "member_id", "M001", "balance_minor", 5000L),
          Map.of("venue_id", "main", "member_id", "M001", "balance_minor", 19000L));
      db.handle(new SalesProjection(SalesProjectionTest.DAYS), "Bill|V2.A1-0001-B1", new Bill.Opened(
          new BillSpec("V2.A1-0001-B1", "V2.A1", "V2.A1-0001", "w1", List.of(SalesProjectionTest.TEA), 1500, 1, 1), 0, NOON));
      assertThat(db.rows("SELECT venue_id, table_id FROM report_bills ORDER BY venue_id")).containsExactly(
          Map.of("venue_id", "V2", "table_id", "A1"), Map.of("venue_id", "main", "table_id", "A1"));
    }
  }
}
