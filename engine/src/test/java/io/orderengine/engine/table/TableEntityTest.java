package io.orderengine.engine.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.BillSettled;
import io.orderengine.engine.table.Table.BillsRequestedReply;
import io.orderengine.engine.table.Table.Closed;
import io.orderengine.engine.table.Table.LinesAdded;
import io.orderengine.engine.table.Table.Opened;
import io.orderengine.engine.table.Table.Status;
import io.orderengine.engine.table.Table.TicketFired;
import io.orderengine.engine.table.Table.View;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The table entity in its shell, on the in-memory journal. Its ports are fakes that tell a probe of
 * each call and leave the answer to the test; the other table of a move is a probe.
 */
class TableEntityTest {

  static final Instant T0 = Instant.parse("2025-05-01T11:30:00Z");
  static final Instant T1 = T0.plusSeconds(600);
  static final NewLine NOODLES = new NewLine("N01", "Beef noodles", "stall-1", "wok", 1, 3800, null);
  static final NewLine DUMPLINGS = new NewLine("D02", "Pork dumplings", "stall-2", "steam", 2, 1500, "no chili");
  static final NewLine TEA = new NewLine("T03", "Jasmine tea", "stall-3", "drinks", 3, 600, null);

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static ActorTestKit testKit;

  /** A call on a port; the test completes {@code answer} as the receiver would. */
  sealed interface Call {
    CompletableFuture<Object> answer();
  }

  record OpenBill(BillSpec spec, CompletableFuture<Object> answer) implements Call {}

  record RemoveLine(String billId, String lineId, String reason, CompletableFuture<Object> answer) implements Call {}

  record GiveBack(String returnId, Map<String, Integer> portions, CompletableFuture<Object> answer) implements Call {}

  private String tableId;
  private TestProbe<Call> calls;
  private TestProbe<Table.Command> otherTable;
  private EventSourcedBehaviorTestKit<Table.Command, Table.Event, TableState> table;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newTable() {
    tableId = "T" + TABLES.incrementAndGet();
    calls = testKit.createTestProbe(Call.class);
    otherTable = testKit.createTestProbe(Table.Command.class);
    BillDesk desk = new BillDesk() {
      public CompletionStage<?> open(BillSpec spec) {
        return told(new OpenBill(spec, new CompletableFuture<>()));
      }

      public CompletionStage<?> removeLine(String billId, String lineId, String reason) {
        return told(new RemoveLine(billId, lineId, reason, new CompletableFuture<>()));
      }
    };
    PortionReturns stock = (returnId, portions) -> told(new GiveBack(returnId, portions, new CompletableFuture<>()));
    // the default settings verify that every command, event and state survives serialization
    table = EventSourcedBehaviorTestKit.create(testKit.system(), Table.create(tableId, desk, stock, id -> otherTable.ref()));
  }

  private CompletionStage<?> told(Call call) {
    calls.ref().tell(call);
    return call.answer();
  }

  // ---- commands ----

  private CommandResultWithReply<Table.Command, Table.Event, TableState, StatusReply<View>> open() {
    return table.runCommand(r -> new Table.Open(4, "mei", T0, r));
  }

  private CommandResultWithReply<Table.Command, Table.Event, TableState, StatusReply<View>> add(String requestId, NewLine... lines) {
    return table.runCommand(r -> new Table.AddLines(requestId, List.of(lines), T0, r));
  }

  /** Asks for bills; the answer comes once they are handed over, to the probe returned. */
  private TestProbe<StatusReply<BillsRequestedReply>> requestBill(String requestId, Split split) {
    TestProbe<StatusReply<BillsRequestedReply>> caller = testKit.createTestProbe();
    table.runCommand(new Table.RequestBill(requestId, split, T1, caller.ref()));
    return caller;
  }

  private CommandResultWithReply<Table.Command, Table.Event, TableState, StatusReply<View>> close() {
    return table.runCommand(r -> new Table.Close(T1, r));
  }

  private static <T> T ok(StatusReply<T> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private static Rejection rejection(StatusReply<?> reply) {
    assertThat(reply.isError()).as("reply %s", reply).isTrue();
    Throwable unwrapped = Rejected.unwrap(reply.getError());
    assertThat(unwrapped).isInstanceOf(Rejected.class);
    return ((Rejected) unwrapped).code();
  }

  private List<OpenBill> handOvers(int n) {
    return calls.receiveSeveralMessages(n).stream().map(OpenBill.class::cast).toList();
  }

  private void awaitHandedOver(String billId) {
    calls.awaitAssert(() -> {
      assertThat(table.getState().order().bills()).filteredOn(b -> b.billId().equals(billId))
          .singleElement().satisfies(b -> assertThat(b.delivered()).isTrue());
      return null;
    });
  }

  // ---- tests ----

  @Test
  void the_whole_loop_from_open_to_close() {
    var opened = open();
    assertThat(opened.event()).isEqualTo(new Opened(tableId, tableId + "-0001", 4, "mei", T0));
    assertThat(ok(opened.reply()).status()).isEqualTo(Status.OPEN);

    var added = add("add-1", NOODLES, TEA);
    assertThat(added.eventOfType(LinesAdded.class).lines()).extracting(Line::lineId).containsExactly("l1", "l2");
    assertThat(ok(added.reply()).subtotalMinor()).isEqualTo(3800 + 1800);

    var fired = table.<StatusReply<View>>runCommand(r -> new Table.Fire("fire-1", T0, r));
    assertThat(fired.events()).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(TicketFired.class));
    assertThat(ok(fired.reply()).tickets()).extracting(Ticket::stationId).containsExactly("wok", "drinks");

    var caller = requestBill("bill-1", new Split.Whole());
    String billId = tableId + "-0001-B1";
    OpenBill handOver = calls.expectMessageClass(OpenBill.class);
    assertThat(handOver.spec().billId()).isEqualTo(billId);
    assertThat(handOver.spec().subtotalMinor()).isEqualTo(5600);
    caller.expectNoMessage(Duration.ofMillis(200)); // not before the bill holds it
    handOver.answer().complete(Done.getInstance());
    BillsRequestedReply reply = ok(caller.receiveMessage());
    assertThat(reply.bills()).containsExactly(handOver.spec());
    assertThat(reply.table().billIds()).containsExactly(billId);
    assertThat(table.getState().order().bills()).singleElement().satisfies(b -> assertThat(b.delivered()).isTrue());

    var tooEarly = close();
    assertThat(rejection(tooEarly.reply())).isEqualTo(Rejection.BILLS_UNSETTLED);
    assertThat(tooEarly.hasNoEvents()).isTrue();
    // the close wakes the unsettled bill, so a settlement it holds reaches the table
    assertThat(calls.expectMessageClass(OpenBill.class).spec()).isEqualTo(handOver.spec());

    var settled = table.<StatusReply<View>>runCommand(r -> new Table.RecordBillSettled(billId, T1, r));
    assertThat(settled.event()).isEqualTo(new BillSettled(tableId, tableId + "-0001", billId, T1));
    assertThat(ok(settled.reply()).bills()).singleElement().satisfies(b -> assertThat(b.settled()).isTrue());
    var again = table.<StatusReply<View>>runCommand(r -> new Table.RecordBillSettled(billId, T1, r));
    assertThat(again.hasNoEvents()).as("a redelivered notice counts once").isTrue();

    var closed = close();
    assertThat(closed.event()).isEqualTo(new Closed(tableId, tableId + "-0001", T1));
    assertThat(ok(closed.reply()).status()).isEqualTo(Status.CLOSED);
    assertThat(table.<View>runCommand(Table.Get::new).reply().closedAt()).isEqualTo(T1);
    calls.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_refused_command_persists_nothing_and_answers_the_code() {
    open();

    var again = open();

    assertThat(rejection(again.reply())).isEqualTo(Rejection.TABLE_ALREADY_OPEN);
    assertThat(again.hasNoEvents()).isTrue();
    var voidUnknown = table.<StatusReply<View>>runCommand(r -> new Table.VoidLine("void-1", "l9", "?", T1, r));
    assertThat(rejection(voidUnknown.reply())).isEqualTo(Rejection.NOT_FOUND);
    assertThat(rejection(requestBill("bill-1", new Split.Whole()).receiveMessage())).isEqualTo(Rejection.NOTHING_TO_BILL);
  }

  @Test
  void a_repeated_request_is_answered_without_new_events() {
    open();
    add("add-1", NOODLES);

    var again = add("add-1", NOODLES);

    assertThat(again.hasNoEvents()).isTrue();
    assertThat(ok(again.reply()).lines()).hasSize(1);
  }

  @Test
  void a_restart_recovers_the_same_state() {
    open();
    add("add-1", NOODLES, DUMPLINGS, TEA);
    table.<StatusReply<View>>runCommand(r -> new Table.VoidLine("void-1", "l2", "sent back", T0, r));
    table.<StatusReply<View>>runCommand(r -> new Table.Fire("fire-1", T0, r));
    TableState before = table.getState();

    TableState recovered = table.restart().state();

    assertThat(recovered).isEqualTo(before);
    assertThat(recovered.order().lines()).extracting(Line::status)
        .containsExactly(Line.Status.FIRED, Line.Status.VOIDED, Line.Status.FIRED);
    // it carries on where it stopped: requests are still remembered, lines numbered on
    assertThat(add("add-1", NOODLES, DUMPLINGS, TEA).hasNoEvents()).isTrue();
    assertThat(add("add-2", TEA).eventOfType(LinesAdded.class).lines()).extracting(Line::lineId).containsExactly("l4");
  }

  @Test
  void a_restart_after_a_snapshot_recovers_the_same_state() {
    open();
    for (int i = 1; i <= 60; i++) add("add-" + i, i % 2 == 0 ? TEA : NOODLES);
    TableState before = table.getState();
    assertThat(table.snapshotTestKit()).isPresent();
    assertThat(table.snapshotTestKit().get().persistedInStorage("Table|" + tableId)).isNotEmpty();

    TableState recovered = table.restart().state();

    assertThat(recovered).isEqualTo(before);
    assertThat(recovered.order().lines()).hasSize(60);
  }

  @Test
  void each_requested_bill_is_handed_over_and_the_request_answered_when_all_are() {
    open();
    add("add-1", NOODLES, DUMPLINGS, TEA);

    var caller = requestBill("bill-1", new Split.Even(2));

    List<OpenBill> handOvers = handOvers(2);
    assertThat(handOvers).extracting(o -> o.spec().subtotalMinor()).containsExactly(4300L, 4300L);
    handOvers.get(0).answer().complete(Done.getInstance());
    awaitHandedOver(handOvers.get(0).spec().billId());
    caller.expectNoMessage(Duration.ofMillis(200)); // one of two is not enough
    handOvers.get(1).answer().complete(Done.getInstance());
    BillsRequestedReply reply = ok(caller.receiveMessage());
    assertThat(reply.bills()).containsExactlyInAnyOrderElementsOf(handOvers.stream().map(OpenBill::spec).toList());
    assertThat(table.getState().owed()).isEmpty();

    // the same request again, after a crash of the caller: answered at once, nothing handed over twice
    var retry = requestBill("bill-1", new Split.Even(2));
    assertThat(ok(retry.receiveMessage()).bills()).isEqualTo(reply.bills());
    table.restart();
    assertThat(ok(requestBill("bill-1", new Split.Even(2)).receiveMessage()).bills()).isEqualTo(reply.bills());
    calls.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_bill_not_acknowledged_is_handed_over_again_after_a_restart() {
    open();
    add("add-1", NOODLES, DUMPLINGS, TEA);
    requestBill("bill-1", new Split.ByLines(List.of(List.of("l1"), List.of("l2", "l3"))));
    List<OpenBill> first = handOvers(2);

    table.restart();

    List<OpenBill> second = handOvers(2);
    assertThat(second).extracting(OpenBill::spec)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(OpenBill::spec).toList());

    // only the first bill acknowledges; after the next restart only the second is handed over again
    OpenBill b1 = second.stream().filter(o -> o.spec().billId().endsWith("-B1")).findFirst().orElseThrow();
    b1.answer().complete(Done.getInstance());
    awaitHandedOver(b1.spec().billId());

    table.restart();

    OpenBill third = calls.expectMessageClass(OpenBill.class);
    assertThat(third.spec().billId()).isEqualTo(tableId + "-0001-B2");
    var retry = requestBill("bill-1", new Split.Whole());
    retry.expectNoMessage(Duration.ofMillis(200)); // a retry waits for the hand-over too
    third.answer().complete(Done.getInstance());
    assertThat(ok(retry.receiveMessage()).bills()).hasSize(2);

    table.restart();

    calls.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_bill_that_fails_is_handed_over_again_after_a_pause_and_only_then_answered() {
    open();
    add("add-1", NOODLES);
    var caller = requestBill("bill-1", new Split.Whole());
    OpenBill first = calls.expectMessageClass(OpenBill.class);

    first.answer().completeExceptionally(new RuntimeException("bill shard unavailable"));

    calls.expectNoMessage(Duration.ofMillis(1000));
    OpenBill retried = calls.expectMessageClass(OpenBill.class, Duration.ofSeconds(5));
    assertThat(retried.spec()).isEqualTo(first.spec());
    caller.expectNoMessage(Duration.ofMillis(100));
    retried.answer().complete(Done.getInstance());
    assertThat(ok(caller.receiveMessage()).bills()).containsExactly(first.spec());
  }

  @Test
  void a_voided_billed_line_reaches_its_bill_after_the_hand_over_and_its_portions_the_stock() {
    open();
    add("add-1", NOODLES, TEA);
    requestBill("bill-1", new Split.Whole());
    OpenBill handOver = calls.expectMessageClass(OpenBill.class);

    table.<StatusReply<View>>runCommand(r -> new Table.VoidLine("void-1", "l2", "spilled", T1, r));

    GiveBack giveBack = calls.expectMessageClass(GiveBack.class);
    assertThat(giveBack.returnId()).isEqualTo(tableId + "-0001:l2");
    assertThat(giveBack.portions()).isEqualTo(Map.of("T03", 3));
    calls.expectNoMessage(Duration.ofMillis(200)); // no removal before the bill holds the bill
    handOver.answer().complete(Done.getInstance());
    RemoveLine removal = calls.expectMessageClass(RemoveLine.class);
    assertThat(removal).extracting(RemoveLine::billId, RemoveLine::lineId, RemoveLine::reason)
        .containsExactly(tableId + "-0001-B1", "l2", "spilled");
    removal.answer().complete(Done.getInstance());
    giveBack.answer().complete(Done.getInstance());
    calls.awaitAssert(() -> {
      assertThat(table.getState().owed()).isEmpty();
      return null;
    });

    table.restart();

    calls.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void an_order_moves_once_the_other_table_takes_it() {
    open();
    add("add-1", NOODLES);
    TestProbe<StatusReply<View>> caller = testKit.createTestProbe();

    table.runCommand(new Table.TransferOut("move-1", "B7", T1, caller.ref()));

    Table.ReceiveOrder sent = otherTable.expectMessageClass(Table.ReceiveOrder.class);
    assertThat(sent.transferId()).isEqualTo("move-1");
    assertThat(sent.fromTableId()).isEqualTo(tableId);
    assertThat(sent.order().lines()).extracting(Line::lineId).containsExactly("l1");
    caller.expectNoMessage(Duration.ofMillis(200));
    sent.replyTo().tell(StatusReply.error("table shard unavailable")); // not a refusal: sent again
    Table.ReceiveOrder resent = otherTable.expectMessageClass(Table.ReceiveOrder.class, Duration.ofSeconds(5));
    assertThat(resent.transferId()).isEqualTo("move-1");
    resent.replyTo().tell(StatusReply.success(TableState.free("B7").view()));

    View moved = ok(caller.receiveMessage());
    assertThat(moved.status()).isEqualTo(Status.CLOSED);
    assertThat(moved.movedTo()).isEqualTo("B7");
    assertThat(table.getState()).isInstanceOf(TableState.MovedAway.class);
    table.restart();
    otherTable.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_move_under_way_survives_a_restart_and_a_refusal_ends_it_with_the_order_staying() {
    open();
    add("add-1", NOODLES);
    TestProbe<StatusReply<View>> caller = testKit.createTestProbe();
    table.runCommand(new Table.TransferOut("move-1", "B7", T1, caller.ref()));

    otherTable.expectMessageClass(Table.ReceiveOrder.class);

    table.restart(); // the move is under way: sent again, and the caller asks again with the same key
    table.runCommand(new Table.TransferOut("move-1", "B7", T1, caller.ref()));
    Table.ReceiveOrder sent = otherTable.expectMessageClass(Table.ReceiveOrder.class);
    assertThat(sent.transferId()).isEqualTo("move-1");
    sent.replyTo().tell(new Rejected(Rejection.TABLE_ALREADY_OPEN, "table B7 is taken").toReply());

    assertThat(rejection(caller.receiveMessage())).isEqualTo(Rejection.TABLE_ALREADY_OPEN);
    assertThat(table.getState()).isInstanceOf(TableState.Seated.class);
    assertThat(add("add-2", TEA).eventOfType(LinesAdded.class).lines()).extracting(Line::lineId).containsExactly("l2");
    otherTable.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void table_events_are_bound_to_jackson_cbor() throws Exception {
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    Table.Event event = new Opened(tableId, tableId + "-0001", 2, "li", T0);

    var serializer = serialization.findSerializerFor(event);
    byte[] bytes = serialization.serialize(event).get();
    Object back = serialization.deserialize(bytes, serializer.identifier(),
        org.apache.pekko.serialization.Serializers.manifestFor(serializer, event)).get();

    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
    assertThat(back).isEqualTo(event);
  }
}
