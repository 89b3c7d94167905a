package io.orderengine.engine;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.MemberWallet;
import io.orderengine.engine.payment.Gateway;
import io.orderengine.engine.payment.Gateways;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.accounts.ProviderConnector;
import io.orderengine.engine.payment.accounts.SecretBox;
import io.orderengine.engine.payment.accounts.VenueAccounts;
import io.orderengine.engine.payment.wire.StoredRecords;
import io.orderengine.engine.payment.sandbox.DemoWallets;
import io.orderengine.engine.payment.sandbox.SandboxCallbacks;
import io.orderengine.engine.payment.sandbox.SandboxGateway;
import io.orderengine.engine.payment.sandbox.SandboxTrade;
import io.orderengine.engine.shift.Shift;
import io.orderengine.engine.staff.Staff;
import io.orderengine.engine.staff.StaffPolicy;
import io.orderengine.engine.staff.StaleSessions;
import io.orderengine.engine.table.Table;
import io.orderengine.engine.usecase.CashDrawer;
import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.usecase.Floor;
import io.orderengine.engine.usecase.MenuBoard;
import io.orderengine.engine.usecase.Members;
import io.orderengine.engine.usecase.SandboxWallets;
import io.orderengine.engine.usecase.Staffing;
import io.orderengine.engine.usecase.Venues;
import io.orderengine.engine.venue.Stock;
import io.orderengine.engine.venue.Venue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The engine as its callers see it: the entities' sharding started on this node, and the use cases
 * by area, each of which talks to the entities it needs and answers with a view or fails with
 * {@link Rejected}: the menu board, the floor, the checkout, the cash drawer, the members, the
 * staff, the sandbox wallets. It holds no state of its own.
 */
public final class Engine {

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final MenuBoard menuBoard;
  private final Floor floor;
  private final Checkout checkout;
  private final CashDrawer cashDrawer;
  private final Members members;
  private final SandboxWallets sandbox;
  private final VenueAccounts accounts;
  private final Staffing staffing;
  private final Venues venues;

  private Engine(ActorSystem<?> system, Duration askTimeout, MenuBoard menuBoard, Gateways gateways,
      SandboxCallbacks callbacks, DemoWallets wallets, CashDrawer.Books books, Staffing staffing, VenueAccounts accounts) {
    this.accounts = accounts;
    this.system = system;
    this.askTimeout = askTimeout;
    this.menuBoard = menuBoard;
    this.floor = new Floor(system, askTimeout, menuBoard);
    this.checkout = new Checkout(system, askTimeout, Entities.FIRST_GATEWAY_ANSWER, gateways);
    this.cashDrawer = new CashDrawer(system, askTimeout, books);
    this.members = new Members(system, askTimeout, Entities.FIRST_GATEWAY_ANSWER, gateways);
    this.sandbox = new SandboxWallets(system, askTimeout, callbacks, wallets);
    this.staffing = staffing;
    this.venues = new Venues(system, askTimeout, menuBoard, floor);
  }

  /**
   * Starts the entities' sharding on this node and returns the engine that talks to them.
   * {@code books}: the read side's cash figures, which a cashier's shift is closed against.
   */
  public static Engine start(ActorSystem<?> system, EngineSettings settings, CashDrawer.Books books) {
    return start(system, settings, books, Optional.empty(), List.of());
  }

  /**
   * {@code secrets}: the key venues' merchant secrets are sealed with (none: no venue can connect a
   * provider on this node); {@code connectors}: the providers a venue may connect its account at.
   */
  public static Engine start(ActorSystem<?> system, EngineSettings settings, CashDrawer.Books books,
      Optional<SecretBox> secrets, List<ProviderConnector> connectors) {
    List<Gateway> available = new ArrayList<>();
    available.add(new MemberWallet(system));
    SandboxCallbacks callbacks = null;
    DemoWallets wallets = null;
    if (settings.sandbox()) {
      // the card terminal's sandbox; the wallets are WeChat Pay and Alipay emulated, paid through the real adapters
      callbacks = new SandboxCallbacks();
      SandboxTrade.init(system, callbacks);
      for (Provider p : SandboxGateway.SANDBOX_PROVIDERS) available.add(new SandboxGateway(system, p));
      wallets = new DemoWallets(StoredRecords.start(system, settings.askTimeout()),
          java.util.Map.of(Provider.WECHAT, new SandboxGateway(system, Provider.WECHAT),
              Provider.ALIPAY, new SandboxGateway(system, Provider.ALIPAY)));
      available.add(wallets.gateway(Provider.WECHAT));
      available.add(wallets.gateway(Provider.ALIPAY));
      DemoWallets closing = wallets;
      system.getWhenTerminated().thenRun(closing::close);
    }
    VenueAccounts accounts = new VenueAccounts(system, settings.askTimeout(), connectors, secrets);
    Gateways gateways = new Gateways(available, accounts);
    StaffPolicy staffPolicy = StaffPolicy.from(system.settings().config().getConfig("order-engine"));
    // this node's end of the cluster-wide topic on which ended sessions are announced
    ActorRef<Topic.Command<StaleSessions>> staleSessions = system.systemActorOf(
        Topic.create(StaleSessions.class, StaleSessions.TOPIC), "staff-sessions-topic", Props.empty());
    MenuBoard menuBoard = new MenuBoard(system, settings.askTimeout());
    Entities.start(system, settings, menuBoard, gateways, staffPolicy, notice -> staleSessions.tell(Topic.publish(notice)));
    return new Engine(system, settings.askTimeout(), menuBoard, gateways, callbacks, wallets, books,
        new Staffing(system, settings.askTimeout(), staffPolicy, staleSessions), accounts);
  }

  public MenuBoard menuBoard() {
    return menuBoard;
  }

  public Floor floor() {
    return floor;
  }

  public Checkout checkout() {
    return checkout;
  }

  public CashDrawer cashDrawer() {
    return cashDrawer;
  }

  public Members members() {
    return members;
  }

  public SandboxWallets sandbox() {
    return sandbox;
  }

  public Staffing staffing() {
    return staffing;
  }

  public Venues venues() {
    return venues;
  }

  /** The venues' merchant accounts at WeChat Pay and Alipay. */
  public VenueAccounts paymentAccounts() {
    return accounts;
  }

  /** How many entities of each kind live on this node right now, for the metrics. */
  public CompletionStage<Map<String, Integer>> activeEntities() {
    ClusterSharding sharding = ClusterSharding.get(system);
    List<EntityTypeKey<?>> keys = List.of(Venue.ENTITY_KEY, Stock.ENTITY_KEY, Table.ENTITY_KEY, Bill.ENTITY_KEY,
        PaymentSaga.ENTITY_KEY, Member.ENTITY_KEY, Shift.ENTITY_KEY, Staff.ENTITY_KEY);
    Map<String, CompletableFuture<Integer>> counts = new LinkedHashMap<>();
    for (EntityTypeKey<?> key : keys) {
      counts.put(key.name(), AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
              replyTo -> new GetShardRegionState(key, replyTo), askTimeout, system.scheduler())
          .thenApply(state -> state.getShards().stream().mapToInt(sh -> sh.getEntityIds().size()).sum())
          .exceptionally(e -> -1)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(counts.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, Integer> out = new LinkedHashMap<>();
      counts.forEach((k, v) -> out.put(k, v.join()));
      return out;
    });
  }
}
