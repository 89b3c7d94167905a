package io.orderengine.engine.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.BillSpec;
import io.orderengine.engine.table.Table.BillSettled;
import io.orderengine.engine.table.Table.BillsRequestedReply;
import io.orderengine.engine.table.Table.Closed;
import io.orderengine.engine.table.Table.LinesAdded;
import io.orderengine.engine.table.Table.Opened;
import io.orderengine.engine.table.Table.State;
import io.orderengine.engine.table.Table.Status;
import io.orderengine.engine.table.Table.TicketFired;
import io.orderengine.engine.table.Table.View;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

/** The table entity in its shell, on the in-memory journal; the bills it hands over go to a probe. */
class TableEntityTest {

  static final Instant T0 = Instant.parse("2025-05-01T11:30:00Z");
  static final Instant T1 = T0.plusSeconds(600);
  static final NewLine NOODLES = new NewLine("N01", "Beef noodles", "stall-1", "wok", 1, 3800, null);
  static final NewLine DUMPLINGS = new NewLine("D02", "Pork dumplings", "stall-2", "steam", 2, 1500, "no chili");
  static final NewLine TEA = new NewLine("T03", "Jasmine tea", "stall-3", "drinks", 3, 600, null);

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static ActorTestKit testKit;

  private String tableId;
  private TestProbe<Bill.Command> bills;
  private EventSourcedBehaviorTestKit<Table.Command, Table.Event, State> table;

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
    bills = testKit.createTestProbe(Bill.Command.class);
    // the default settings verify that every command, event and state survives serialization
    table = EventSourcedBehaviorTestKit.create(testKit.system(), Table.create(tableId, billId -> bills.ref()));
  }

  // ---- commands ----

  private CommandResultWithReply<Table.Command, Table.Event, State, StatusReply<View>> open() {
    return table.runCommand(r -> new Table.Open(4, "mei", T0, r));
  }

  private CommandResultWithReply<Table.Command, Table.Event, State, StatusReply<View>> add(String requestId, NewLine... lines) {
    return table.runCommand(r -> new Table.AddLines(requestId, List.of(lines), T0, r));
  }

  private CommandResultWithReply<Table.Command, Table.Event, State, StatusReply<BillsRequestedReply>> requestBill(
      String requestId, Split split) {
    return table.runCommand(r -> new Table.RequestBill(requestId, split, T1, r));
  }

  private CommandResultWithReply<Table.Command, Table.Event, State, StatusReply<View>> close() {
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

  /** What a bill entity answers when it holds the bill. */
  private static StatusReply<Bill.View> holds(BillSpec spec) {
    return StatusReply.success(io.orderengine.engine.bill.BillState.empty(spec.billId()).apply(new Bill.Opened(spec, 0, T1)).view());
  }

  private List<Bill.Open> handOvers(int n) {
    return bills.receiveSeveralMessages(n).stream().map(Bill.Open.class::cast).toList();
  }

  /** Every message the bills get until they are quiet for {@code quiet}. */
  private List<Bill.Command> messagesWithin(Duration quiet) {
    List<Bill.Command> received = new ArrayList<>();
    while (true) {
      try {
        received.add(bills.receiveMessage(quiet));
      } catch (AssertionError quietEnough) {
        return received;
      }
    }
  }

  private void awaitHandedOver(String billId) {
    bills.awaitAssert(() -> {
      assertThat(table.getState().bills()).filteredOn(b -> b.billId().equals(billId))
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

    var billed = requestBill("bill-1", new Split.Whole());
    BillsRequestedReply reply = ok(billed.reply());
    String billId = tableId + "-0001-B1";
    assertThat(reply.bills()).extracting(BillSpec::billId).containsExactly(billId);
    assertThat(reply.bills().get(0).subtotalMinor()).isEqualTo(5600);
    assertThat(reply.table().billIds()).containsExactly(billId);

    Bill.Open handOver = bills.expectMessageClass(Bill.Open.class);
    assertThat(handOver.spec()).isEqualTo(reply.bills().get(0));
    handOver.replyTo().tell(holds(handOver.spec()));
    awaitHandedOver(billId);

    var tooEarly = close();
    assertThat(rejection(tooEarly.reply())).isEqualTo(Rejection.BILLS_UNSETTLED);
    assertThat(tooEarly.hasNoEvents()).isTrue();

    var settled = table.<StatusReply<View>>runCommand(r -> new Table.RecordBillSettled(billId, T1, r));
    assertThat(settled.event()).isEqualTo(new BillSettled(tableId, tableId + "-0001", billId, T1));
    assertThat(ok(settled.reply()).bills()).singleElement().satisfies(b -> assertThat(b.settled()).isTrue());

    var closed = close();
    assertThat(closed.event()).isEqualTo(new Closed(tableId, tableId + "-0001", T1));
    assertThat(ok(closed.reply()).status()).isEqualTo(Status.CLOSED);
    assertThat(table.<View>runCommand(Table.Get::new).reply().closedAt()).isEqualTo(T1);
    // handed over once; a close may wake an unsettled bill with a Get, which hands nothing over
    assertThat(messagesWithin(Duration.ofMillis(300))).noneMatch(Bill.Open.class::isInstance);
  }

  @Test
  void a_refused_command_persists_nothing_and_answers_the_code() {
    open();

    var again = open();

    assertThat(rejection(again.reply())).isEqualTo(Rejection.TABLE_ALREADY_OPEN);
    assertThat(again.hasNoEvents()).isTrue();
    var voidUnknown = table.<StatusReply<View>>runCommand(r -> new Table.VoidLine("void-1", "l9", "?", T1, r));
    assertThat(rejection(voidUnknown.reply())).isEqualTo(Rejection.NOT_FOUND);
    assertThat(rejection(requestBill("bill-1", new Split.Whole()).reply())).isEqualTo(Rejection.NOTHING_TO_BILL);
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
    State before = table.getState();

    State recovered = table.restart().state();

    assertThat(recovered).isEqualTo(before);
    assertThat(recovered.lines()).extracting(Line::status)
        .containsExactly(Line.Status.FIRED, Line.Status.VOIDED, Line.Status.FIRED);
    // it carries on where it stopped: requests are still remembered, lines numbered on
    assertThat(add("add-1", NOODLES, DUMPLINGS, TEA).hasNoEvents()).isTrue();
    assertThat(add("add-2", TEA).eventOfType(LinesAdded.class).lines()).extracting(Line::lineId).containsExactly("l4");
  }

  @Test
  void a_restart_after_a_snapshot_recovers_the_same_state() {
    open();
    for (int i = 1; i <= 60; i++) add("add-" + i, i % 2 == 0 ? TEA : NOODLES);
    State before = table.getState();
    assertThat(table.snapshotTestKit()).isPresent();
    assertThat(table.snapshotTestKit().get().persistedInStorage("Table|" + tableId)).isNotEmpty();

    State recovered = table.restart().state();

    assertThat(recovered).isEqualTo(before);
    assertThat(recovered.lines()).hasSize(60);
  }

  @Test
  void each_requested_bill_is_handed_to_its_bill_entity() {
    open();
    add("add-1", NOODLES, DUMPLINGS, TEA);

    BillsRequestedReply reply = ok(requestBill("bill-1", new Split.Even(2)).reply());

    List<Bill.Open> handOvers = handOvers(2);
    assertThat(handOvers).extracting(Bill.Open::spec).containsExactlyInAnyOrderElementsOf(reply.bills());
    assertThat(reply.bills()).extracting(BillSpec::subtotalMinor).containsExactly(4300L, 4300L);
    handOvers.forEach(o -> o.replyTo().tell(holds(o.spec())));
    awaitHandedOver(tableId + "-0001-B1");
    awaitHandedOver(tableId + "-0001-B2");
    assertThat(table.getState().undeliveredBills()).isEmpty();
  }

  @Test
  void a_bill_not_acknowledged_is_handed_over_again_after_a_restart() {
    open();
    add("add-1", NOODLES, DUMPLINGS, TEA);
    requestBill("bill-1", new Split.ByLines(List.of(List.of("l1"), List.of("l2", "l3"))));
    List<Bill.Open> first = handOvers(2);

    table.restart();

    List<Bill.Open> second = handOvers(2);
    assertThat(second).extracting(Bill.Open::spec)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(Bill.Open::spec).toList());

    // only the first bill acknowledges; after the next restart only the second is handed over again
    Bill.Open b1 = second.stream().filter(o -> o.spec().billId().endsWith("-B1")).findFirst().orElseThrow();
    b1.replyTo().tell(holds(b1.spec()));
    awaitHandedOver(b1.spec().billId());

    table.restart();

    Bill.Open third = bills.expectMessageClass(Bill.Open.class);
    assertThat(third.spec().billId()).isEqualTo(tableId + "-0001-B2");
    third.replyTo().tell(holds(third.spec()));
    awaitHandedOver(third.spec().billId());

    table.restart();

    bills.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void a_bill_entity_that_fails_is_retried_after_a_pause() {
    open();
    add("add-1", NOODLES);
    requestBill("bill-1", new Split.Whole());
    Bill.Open first = bills.expectMessageClass(Bill.Open.class);

    first.replyTo().tell(StatusReply.error("bill shard unavailable"));

    bills.expectNoMessage(Duration.ofMillis(1000));
    Bill.Open retried = bills.expectMessageClass(Bill.Open.class, Duration.ofSeconds(5));
    assertThat(retried.spec()).isEqualTo(first.spec());
    retried.replyTo().tell(holds(retried.spec()));
    awaitHandedOver(retried.spec().billId());
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
