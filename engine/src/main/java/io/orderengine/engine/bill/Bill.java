package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Money;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.table.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One bill of an order: the settlement data it was made from, its discounts, and every tender
 * taken against it. When it is paid in full it tells its table, and keeps telling until the table
 * acknowledges, so the table never waits for a settlement that already happened.
 */
public final class Bill extends EventSourcedBehaviorWithEnforcedReplies<Bill.Command, Bill.Event, Bill.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Bill");
  public static final int TAG_COUNT = 4;
  public static final String TAG_PREFIX = "bill-";
  static final int MAX_DISCOUNTS = 20;
  private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RENOTIFY_DELAY = Duration.ofSeconds(2);

  public static String tagFor(String billId) {
    return TAG_PREFIX + Math.floorMod(billId.hashCode(), TAG_COUNT);
  }

  public enum Status {
    OPEN,
    PARTIALLY_PAID,
    PAID,
    VOIDED
  }

  public enum Method {
    CASH,
    CARD,
    WECHAT,
    ALIPAY,
    MEMBER
  }

  public enum PaymentStatus {
    PENDING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED
  }

  public enum DiscountType {
    PERCENT,
    AMOUNT
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Makes the bill from its table's settlement data; opening it again changes nothing. */
  public record Open(BillSpec spec, Instant at, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Pay(
      String requestId,
      Method method,
      long amountMinor,
      Long tenderedMinor,
      Instant at,
      ActorRef<StatusReply<PaymentReply>> replyTo)
      implements Command {}

  public record ApplyDiscount(
      String requestId, DiscountType type, long value, String reason, Instant at, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  private record TableAcknowledged() implements Command {}

  private record TableUnreachable() implements Command {}

  private record NotifyTable() implements Command {}

  public sealed interface Event extends CborSerializable {
    String billId();
  }

  public record Opened(BillSpec spec, int serviceChargePercent, Instant at) implements Event {
    @Override
    public String billId() {
      return spec.billId();
    }
  }

  public record DiscountApplied(String billId, String requestId, Discount discount) implements Event {}

  public record PaymentRecorded(String billId, String tableId, String requestId, Payment payment) implements Event {}

  /** Paid in full; the table is to be told. */
  public record Settled(String billId, String tableId, String orderId, Instant at) implements Event {}

  public record TableInformed(String billId) implements Event {}

  // ---- values and views ----

  public record Discount(String discountId, DiscountType type, long value, long amountMinor, String reason, Instant at)
      implements CborSerializable {}

  public record Payment(
      String paymentId,
      Method method,
      long amountMinor,
      long tenderedMinor,
      long changeMinor,
      PaymentStatus status,
      String gatewayTradeNo,
      String failureReason,
      String requestId,
      Instant at)
      implements CborSerializable {}

  public record View(
      boolean exists,
      String billId,
      String tableId,
      String orderId,
      String waiter,
      Status status,
      List<BillLine> lines,
      int part,
      int parts,
      long subtotalMinor,
      long discountMinor,
      long serviceChargeMinor,
      long totalMinor,
      long paidMinor,
      long refundedMinor,
      long dueMinor,
      List<Discount> discounts,
      List<Payment> payments,
      Instant openedAt,
      Instant settledAt)
      implements CborSerializable {

    public Optional<Payment> payment(String paymentId) {
      return payments.stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
    }
  }

  public record PaymentReply(Payment payment, View bill) implements CborSerializable {}

  // ---- pure core ----

  public record State(
      String billId,
      BillSpec spec,
      int serviceChargePercent,
      List<Discount> discounts,
      List<Payment> payments,
      Instant openedAt,
      Instant settledAt,
      boolean tableInformed)
      implements CborSerializable {

    public static State empty(String billId) {
      return new State(billId, null, 0, List.of(), List.of(), null, null, false);
    }

    public boolean exists() {
      return spec != null;
    }

    public long discountMinor() {
      long sum = 0;
      for (Discount d : discounts) sum += d.amountMinor();
      return Math.min(sum, spec.subtotalMinor());
    }

    public long serviceChargeMinor() {
      return Money.percentOf(spec.subtotalMinor() - discountMinor(), serviceChargePercent);
    }

    public long totalMinor() {
      return spec.subtotalMinor() - discountMinor() + serviceChargeMinor();
    }

    public long paidMinor() {
      long sum = 0;
      for (Payment p : payments) if (p.status() == PaymentStatus.SUCCEEDED) sum += p.amountMinor();
      return sum;
    }

    public long dueMinor() {
      return Math.max(0, totalMinor() - paidMinor());
    }

    public Status status() {
      if (settledAt != null) return Status.PAID;
      return paidMinor() > 0 ? Status.PARTIALLY_PAID : Status.OPEN;
    }

    public boolean awaitsTable() {
      return settledAt != null && !tableInformed;
    }

    public List<Event> decideOpen(BillSpec newSpec, int serviceCharge, Instant at) {
      return exists() ? List.of() : List.of(new Opened(newSpec, serviceCharge, at));
    }

    public Optional<Payment> paymentOfRequest(String requestId) {
      return payments.stream().filter(p -> p.requestId().equals(requestId)).findFirst();
    }

    public List<Event> decidePay(String requestId, Method method, long amountMinor, Long tenderedMinor, Instant at) {
      requireExists();
      if (paymentOfRequest(requestId).isPresent()) return List.of();
      if (settledAt != null) throw new Rejected(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
      if (amountMinor <= 0) throw new Rejected(Rejection.VALIDATION_FAILED, "amountMinor must be positive");
      long due = dueMinor();
      Payment payment;
      if (method == Method.CASH) {
        long tendered = tenderedMinor == null ? amountMinor : tenderedMinor;
        if (tendered < amountMinor) {
          throw new Rejected(Rejection.VALIDATION_FAILED, "tenderedMinor must be at least amountMinor");
        }
        long applied = Math.min(amountMinor, due);
        payment = new Payment(nextPaymentId(), method, applied, tendered, tendered - applied, PaymentStatus.SUCCEEDED,
            null, null, requestId, at);
      } else {
        throw new Rejected(Rejection.METHOD_NOT_SUPPORTED, method + " payments are not taken by this node yet");
      }
      List<Event> events = new ArrayList<>();
      events.add(new PaymentRecorded(billId, spec.tableId(), requestId, payment));
      if (payment.amountMinor() == due) events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
      return events;
    }

    public List<Event> decideDiscount(String requestId, DiscountType type, long value, String reason, Instant at) {
      requireExists();
      if (discounts.stream().anyMatch(d -> d.discountId().equals(discountIdOf(requestId)))) return List.of();
      if (settledAt != null) throw new Rejected(Rejection.BILL_SETTLED, "bill " + billId + " is already paid");
      if (discounts.size() >= MAX_DISCOUNTS) throw new Rejected(Rejection.VALIDATION_FAILED, "too many discounts on one bill");
      long base = spec.subtotalMinor() - discountMinor();
      long amount = switch (type) {
        case PERCENT -> {
          if (value < 1 || value > 100) throw new Rejected(Rejection.VALIDATION_FAILED, "a percent discount is 1..100");
          yield Money.percentOf(base, value);
        }
        case AMOUNT -> {
          if (value < 1) throw new Rejected(Rejection.VALIDATION_FAILED, "an amount discount is positive");
          yield Math.min(value, base);
        }
      };
      Discount discount = new Discount(discountIdOf(requestId), type, value, amount, reason, at);
      State after = apply(new DiscountApplied(billId, requestId, discount));
      if (after.totalMinor() < paidMinor()) {
        throw new Rejected(Rejection.AMOUNT_EXCEEDS_DUE, "the discount would make the bill smaller than what is already paid");
      }
      List<Event> events = new ArrayList<>();
      events.add(new DiscountApplied(billId, requestId, discount));
      if (after.dueMinor() == 0) events.add(new Settled(billId, spec.tableId(), spec.orderId(), at));
      return events;
    }

    public State apply(Event event) {
      if (event instanceof Opened e) {
        return new State(billId, e.spec(), e.serviceChargePercent(), List.of(), List.of(), e.at(), null, false);
      }
      if (event instanceof DiscountApplied e) {
        List<Discount> next = new ArrayList<>(discounts);
        next.add(e.discount());
        return new State(billId, spec, serviceChargePercent, List.copyOf(next), payments, openedAt, settledAt, tableInformed);
      }
      if (event instanceof PaymentRecorded e) {
        List<Payment> next = new ArrayList<>(payments);
        next.add(e.payment());
        return new State(billId, spec, serviceChargePercent, discounts, List.copyOf(next), openedAt, settledAt, tableInformed);
      }
      if (event instanceof Settled e) {
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, e.at(), false);
      }
      if (event instanceof TableInformed) {
        return new State(billId, spec, serviceChargePercent, discounts, payments, openedAt, settledAt, true);
      }
      throw new IllegalStateException("unknown event " + event);
    }

    public View view() {
      if (!exists()) {
        return new View(false, billId, null, null, null, null, List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(),
            null, null);
      }
      return new View(true, billId, spec.tableId(), spec.orderId(), spec.waiter(), status(), spec.lines(), spec.part(),
          spec.parts(), spec.subtotalMinor(), discountMinor(), serviceChargeMinor(), totalMinor(), paidMinor(), 0,
          dueMinor(), discounts, payments, openedAt, settledAt);
    }

    private String nextPaymentId() {
      return billId + "-P" + (payments.size() + 1);
    }

    private String discountIdOf(String requestId) {
      return "D-" + requestId;
    }

    private void requireExists() {
      if (!exists()) throw new Rejected(Rejection.NOT_FOUND, "no bill " + billId);
    }
  }

  /** The bill a payment id belongs to: payment ids are made as {@code <billId>-P<n>}. */
  public static Optional<String> billIdOfPayment(String paymentId) {
    int at = paymentId.lastIndexOf("-P");
    if (at <= 0 || at + 2 >= paymentId.length()) return Optional.empty();
    for (int i = at + 2; i < paymentId.length(); i++) {
      if (!Character.isDigit(paymentId.charAt(i))) return Optional.empty();
    }
    return Optional.of(paymentId.substring(0, at));
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system, int serviceChargePercent) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), serviceChargePercent,
        tableId -> sharding.entityRefFor(Table.ENTITY_KEY, tableId))));
  }

  public static Behavior<Command> create(String billId, int serviceChargePercent,
      Function<String, RecipientRef<Table.Command>> tables) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Bill(billId, serviceChargePercent, ctx, timers, tables)));
  }

  private final String billId;
  private final int serviceChargePercent;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Function<String, RecipientRef<Table.Command>> tables;

  private Bill(String billId, int serviceChargePercent, ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Function<String, RecipientRef<Table.Command>> tables) {
    super(PersistenceId.of(ENTITY_KEY.name(), billId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1));
    this.billId = billId;
    this.serviceChargePercent = serviceChargePercent;
    this.ctx = ctx;
    this.timers = timers;
    this.tables = tables;
  }

  @Override
  public State emptyState() {
    return State.empty(billId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Open.class, (s, c) -> decide(() -> s.decideOpen(c.spec(), serviceChargePercent, c.at()),
            c.replyTo(), State::view))
        .onCommand(Pay.class, (s, c) -> decide(() -> s.decidePay(c.requestId(), c.method(), c.amountMinor(), c.tenderedMinor(), c.at()),
            c.replyTo(), after -> new PaymentReply(after.paymentOfRequest(c.requestId()).orElseThrow(), after.view())))
        .onCommand(ApplyDiscount.class, (s, c) -> decide(() -> s.decideDiscount(c.requestId(), c.type(), c.value(), c.reason(), c.at()),
            c.replyTo(), State::view))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .onCommand(NotifyTable.class, (s, c) -> {
          if (s.awaitsTable()) notifyTable(s);
          return Effect().noReply();
        })
        .onCommand(TableAcknowledged.class, (s, c) ->
            s.awaitsTable() ? Effect().persist(new TableInformed(billId)).thenNoReply() : Effect().noReply())
        .onCommand(TableUnreachable.class, (s, c) -> {
          timers.startSingleTimer("notify-table", new NotifyTable(), RENOTIFY_DELAY);
          return Effect().noReply();
        })
        .build();
  }

  private <R> ReplyEffect<Event, State> decide(Supplier<List<Event>> decision, ActorRef<StatusReply<R>> replyTo,
      Function<State, R> reply) {
    try {
      return Effect()
          .persist(decision.get())
          .thenRun(s -> {
            if (s.awaitsTable()) notifyTable(s);
          })
          .thenReply(replyTo, s -> StatusReply.success(reply.apply(s)));
    } catch (Rejected r) {
      return Effect().reply(replyTo, r.toReply());
    }
  }

  private void notifyTable(State s) {
    ctx.askWithStatus(
        Table.View.class,
        tables.apply(s.spec().tableId()),
        NOTIFY_TIMEOUT,
        replyTo -> new Table.RecordBillSettled(billId, s.settledAt(), replyTo),
        (ok, failure) -> failure == null ? new TableAcknowledged() : new TableUnreachable());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (s.awaitsTable()) notifyTable(s);
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(tagFor(billId));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(50, 2);
  }
}
