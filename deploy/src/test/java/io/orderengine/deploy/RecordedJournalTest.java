package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events are the stored schema: a journal written by the previous release (see
 * {@code src/test/resources/journals/0.1.0-8dacf2f/README.md}) is loaded into an empty database, a
 * node of the current code starts on it, and every table, bill, payment, member, shift, the menu's
 * stock, the kitchen boards and the reports rebuilt from it read back as that release answered.
 * Renaming an event class, or dropping or renaming a field the old events carry, fails it.
 */
class RecordedJournalTest {
  static final String RELEASE = "0.1.0-8dacf2f";
  static final String ANALYST = "demo-analyst";
  static final String CASHIER = "demo-cashier";
  static final String WAITER = "demo-waiter";

  @Test
  void whatThePreviousReleaseWroteReadsBackAsItAnswered(@TempDir Path dataDir) throws Exception {
    RecordedJournal journal = new RecordedJournal(RELEASE);
    journal.loadInto(dataDir);
    JsonNode answers = journal.answers();
    int dbPort = TestNode.freePort();
    NodeSettings settings = new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(), List.of(), 0,
        true, null, dbPort);
    String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres";

    try (TestNode node = TestNode.start(settings)) {
      // the snapshot T10 recovers from is the old release's (50 events into its 74), in the old state's shape
      assertThat(snapshotsOf(jdbcUrl, "Table|T10")).containsExactly(
          "50 io.orderengine.engine.table.Table$State written 1796294169546");

      // every entity, read through the current code: tables, bills, payments, the member, the shift, the menu's stock
      List<String> differences = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = answers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> recorded = it.next();
        if (recorded.getKey().startsWith("/api/v1/reports/") || recorded.getKey().startsWith("/api/v1/kitchen/")) continue;
        TestNode.Answer now = node.get(recorded.getKey(), CASHIER);
        if (now.status() != 200) differences.add(recorded.getKey() + ": status " + now.status() + " " + now.body());
        else differences.addAll(missingFrom(now.body(), recorded.getValue(), recorded.getKey()));
      }
      assertThat(differences).as("answers that differ from the recording").isEmpty();
      // a few of them spelled out, so a reader sees what the comparison covers
      JsonNode t01 = node.get("/api/v1/bills/T01-0001-B1", CASHIER).body();
      assertThat(t01.path("status").asText()).isEqualTo("PAID");
      assertThat(t01.path("discountMinor").asLong()).isEqualTo(1460);
      assertThat(t01.path("paidMinor").asLong()).isEqualTo(13140);
      assertThat(t01.path("refundedMinor").asLong()).isEqualTo(2700);
      assertThat(t01.path("lines").findValuesAsText("voided")).containsExactly("false", "true", "false", "false");
      assertThat(node.get("/api/v1/payments/T03-0001-B2-P1", CASHIER).body().path("status").asText()).isEqualTo("CANCELLED");
      assertThat(node.get("/api/v1/members/M001", CASHIER).body().path("balanceMinor").asLong()).isEqualTo(15200);
      assertThat(node.get("/api/v1/tables/T10", WAITER).body().path("orderId").asText()).isEqualTo("T10-0010");

      // the read side, rebuilt from the old events by the current projections: kitchen boards and reports
      awaitProjectionsCaughtUp(node);
      List<String> reportDifferences = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = answers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> recorded = it.next();
        if (!recorded.getKey().startsWith("/api/v1/reports/") && !recorded.getKey().startsWith("/api/v1/kitchen/")) continue;
        TestNode.Answer now = node.get(recorded.getKey(), recorded.getKey().startsWith("/api/v1/kitchen/") ? "demo-kitchen" : ANALYST);
        if (now.status() != 200) reportDifferences.add(recorded.getKey() + ": status " + now.status() + " " + now.body());
        else reportDifferences.addAll(missingFrom(now.body(), recorded.getValue(), recorded.getKey()));
      }
      assertThat(reportDifferences).as("report rows that differ from the recording").isEmpty();
      JsonNode byMethod = answers.path("/api/v1/reports/sales?from=2026-12-03&to=2026-12-03&groupBy=method").path("rows");
      assertThat(byMethod.findValuesAsText("key")).containsExactly("ALIPAY", "CARD", "CASH", "MEMBER", "WECHAT");

      // and the recovered entities carry on: T10's open order takes another dish where it left off
      TestNode.Answer more = node.post("/api/v1/tables/T10/items", WAITER, "{\"items\":[{\"sku\":\"DR04\",\"qty\":1}]}");
      assertThat(more.status()).as(more.body().toString()).isEqualTo(200);
      assertThat(more.body().path("lines").findValuesAsText("lineId")).containsExactly("l1", "l2");
      assertThat(more.body().path("subtotalMinor").asLong()).isEqualTo(4600 + 600);
      // as does the member's stored value
      TestNode.Answer topUp = node.post("/api/v1/members/M001/topups", CASHIER, "{\"amountMinor\":1000,\"method\":\"CASH\"}",
          "recorded-journal-topup");
      assertThat(topUp.status()).as(topUp.body().toString()).isEqualTo(201);
      assertThat(node.get("/api/v1/members/M001", CASHIER).body().path("balanceMinor").asLong()).isEqualTo(16200);
    }
  }

  /**
   * Where {@code actual} lacks what {@code recorded} holds: every recorded field with the same value,
   * arrays of the same length element by element. Fields the current code added are allowed.
   */
  static List<String> missingFrom(JsonNode actual, JsonNode recorded, String at) {
    List<String> out = new ArrayList<>();
    if (recorded.isObject()) {
      if (!actual.isObject()) {
        out.add(at + ": expected an object, got " + actual);
        return out;
      }
      recorded.fields().forEachRemaining(f -> {
        if (!actual.has(f.getKey())) out.add(at + "." + f.getKey() + ": missing, was " + f.getValue());
        else out.addAll(missingFrom(actual.get(f.getKey()), f.getValue(), at + "." + f.getKey()));
      });
    } else if (recorded.isArray()) {
      if (!actual.isArray() || actual.size() != recorded.size()) {
        out.add(at + ": expected " + recorded + ", got " + actual);
        return out;
      }
      for (int i = 0; i < recorded.size(); i++) out.addAll(missingFrom(actual.get(i), recorded.get(i), at + "[" + i + "]"));
    } else if (!recorded.equals(actual) && !(recorded.isNumber() && actual.isNumber()
        && recorded.decimalValue().compareTo(actual.decimalValue()) == 0)) {
      out.add(at + ": expected " + recorded + ", got " + actual);
    }
    return out;
  }

  static List<String> snapshotsOf(String jdbcUrl, String persistenceId) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement ps = c.prepareStatement("SELECT sequence_number, snapshot_ser_manifest, created FROM snapshot "
            + "WHERE persistence_id = ? ORDER BY sequence_number")) {
      ps.setString(1, persistenceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(rs.getLong(1) + " " + rs.getString(2) + " written " + rs.getLong(3));
      }
    }
    return rows;
  }

  static void awaitProjectionsCaughtUp(TestNode node) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode lag = null;
    while (System.nanoTime() < deadline) {
      lag = node.get("/api/v1/reports/projection-lag", ANALYST).body().path("projections");
      boolean behind = lag.isEmpty();
      for (JsonNode p : lag) if (!p.has("pendingEvents") || p.path("pendingEvents").asLong() > 0) behind = true;
      if (!behind) return;
      Thread.sleep(200);
    }
    throw new AssertionError("the projections never caught up with the recorded journal: " + lag);
  }
}
