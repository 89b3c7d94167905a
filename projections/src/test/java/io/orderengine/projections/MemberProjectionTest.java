package io.orderengine.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.TopUpPayment;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Members' events through {@link MemberProjection}'s handler into {@code report_members} and their movements. */
class MemberProjectionTest extends ReportDatabaseTest {
  static final Instant AT = Instant.parse("2026-11-24T04:00:00Z");

  final MemberProjection members = new MemberProjection();

  @Test
  void aMemberToppedUpWhoPaysAndIsRefundedHasTheBalancePointsAndVisitsOfTheBooks() throws Exception {
    db.handle(members, "Member|M001",
        new Member.Registered("M001", "王小明", "13800138000", AT),
        new Member.ToppedUp("M001", "topup-1", 20000, "CASH", AT.plusSeconds(60)),
        new Member.Debited("M001", "T03-0001-B2-P2", 4800, 48, AT.plusSeconds(600)),
        new Member.Credited("M001", "T03-0001-B2-P2-R1", "T03-0001-B2-P2", 1000, 10, AT.plusSeconds(900)));

    assertThat(db.row("SELECT name, phone, balance_minor, points, lifetime_spend_minor, topped_up_minor, visits, "
        + "last_visit_at IS NOT NULL AS visited FROM report_members WHERE member_id = 'M001'")).containsExactly(
            Map.entry("name", "王小明"), Map.entry("phone", "13800138000"), Map.entry("balance_minor", 16200L),
            Map.entry("points", 38L), Map.entry("lifetime_spend_minor", 3800L), Map.entry("topped_up_minor", 20000L),
            Map.entry("visits", 1), Map.entry("visited", true));
    assertThat(db.rows("SELECT movement_id, kind, amount_minor, method FROM report_member_movements ORDER BY at"))
        .extracting(r -> r.get("movement_id") + " " + r.get("kind") + " " + r.get("amount_minor") + " " + r.get("method"))
        .containsExactly("topup-1 TOP_UP 20000 CASH", "T03-0001-B2-P2 SPEND -4800 null", "T03-0001-B2-P2-R1 REFUND 1000 null");
  }

  @Test
  void eventsHandledTwiceAreCountedOnce() throws Exception {
    Member.Registered registered = new Member.Registered("M002", "李娜", "13900139000", AT);
    Member.ToppedUp toppedUp = new Member.ToppedUp("M002", "topup-7", 5000, "WECHAT", AT.plusSeconds(60));
    Member.Debited debited = new Member.Debited("M002", "T04-0001-B1-P1", 3000, 30, AT.plusSeconds(120));
    Member.Credited credited = new Member.Credited("M002", "T04-0001-B1-P1-R1", "T04-0001-B1-P1", 500, 5, AT.plusSeconds(180));
    db.handle(members, "Member|M002", registered, toppedUp, debited, credited);
    db.handle(members, "Member|M002", registered, toppedUp);
    db.handle(members, "Member|M002", debited, credited, toppedUp);

    assertThat(db.row("SELECT balance_minor, points, lifetime_spend_minor, topped_up_minor, visits FROM report_members "
        + "WHERE member_id = 'M002'")).containsExactly(Map.entry("balance_minor", 2500L), Map.entry("points", 25L),
            Map.entry("lifetime_spend_minor", 2500L), Map.entry("topped_up_minor", 5000L), Map.entry("visits", 1));
    assertThat(db.row("SELECT count(*) AS n FROM report_member_movements")).containsEntry("n", 3L);
  }

  @Test
  void aTopUpKeepsItsPaymentIdAndAStandaloneTerminalsSlipAndOnlyACreditedTopUpIsAMovement() throws Exception {
    db.handle(members, "Member|V2.M003",
        new Member.Registered("V2.M003", "周", null, AT),
        // a wallet's top-up under way: no money moved yet, so no movement
        new Member.TopUpRequested("V2.M003", new TopUpPayment("V2.M003-TU1", "topup-1", 50000, "WECHAT", null, "li", AT,
            TopUpPayment.Status.PENDING, false, null, null, null, null, null, null, null, null)),
        new Member.ToppedUp("V2.M003", "topup-1", 50000, "WECHAT", AT.plusSeconds(60), "li", "V2.M003-TU1", null, null, null),
        new Member.ToppedUp("V2.M003", "topup-2", 30000, "CARD", AT.plusSeconds(120), "li", "V2.M003-TU2", "T1", "000123",
            "4321"));

    assertThat(db.rows("SELECT movement_id, method, payment_id, terminal_id, terminal_ref, card_last4 FROM report_member_movements "
        + "WHERE venue_id = 'V2' ORDER BY at"))
        .extracting(r -> r.get("movement_id") + " " + r.get("method") + " " + r.get("payment_id") + " " + r.get("terminal_id")
            + " " + r.get("terminal_ref") + " " + r.get("card_last4"))
        .containsExactly("topup-1 WECHAT V2.M003-TU1 null null null", "topup-2 CARD V2.M003-TU2 T1 000123 4321");
    assertThat(db.row("SELECT balance_minor FROM report_members WHERE venue_id = 'V2' AND member_id = 'M003'"))
        .containsEntry("balance_minor", 80000L);
  }
}
