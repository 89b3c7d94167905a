package io.orderengine.deploy;

import io.orderengine.engine.VenueIds;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orderengine.engine.Engine;
import io.orderengine.engine.EngineSettings;
import io.orderengine.http.ApiRoutes;
import io.orderengine.http.HttpServer;
import io.orderengine.http.auth.DinerTokens;
import io.orderengine.http.auth.NodeSecrets;
import io.orderengine.http.auth.Sessions;
import io.orderengine.http.auth.SignInThrottle;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.ledger.AuditTrail;
import io.orderengine.http.ledger.IdempotencyStore;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.routes.AuditRoutes;
import io.orderengine.http.routes.BillRoutes;
import io.orderengine.http.routes.EventRoutes;
import io.orderengine.http.routes.GatewayRoutes;
import io.orderengine.http.routes.HealthRoutes;
import io.orderengine.http.routes.KitchenRoutes;
import io.orderengine.http.routes.MemberRoutes;
import io.orderengine.http.routes.MenuRoutes;
import io.orderengine.http.routes.MetricsRoutes;
import io.orderengine.http.routes.PrinterRoutes;
import io.orderengine.http.routes.ProviderRoutes;
import io.orderengine.projections.printing.PrintJobs;
import io.orderengine.projections.printing.PrintSetup;
import io.orderengine.projections.printing.PrintSpooler;
import io.orderengine.http.routes.ReportRoutes;
import io.orderengine.http.routes.RequestMetrics;
import io.orderengine.http.routes.SandboxRoutes;
import io.orderengine.http.routes.SessionRoutes;
import io.orderengine.http.routes.ShiftRoutes;
import io.orderengine.http.routes.StaffRoutes;
import io.orderengine.http.routes.TableCardRoutes;
import io.orderengine.http.routes.TableRoutes;
import io.orderengine.http.routes.VenueRoutes;
import io.orderengine.projections.CardTerminals;
import io.orderengine.projections.BusinessDay;
import io.orderengine.projections.BusinessDays;
import io.orderengine.projections.CashierBooks;
import io.orderengine.projections.JournalSize;
import io.orderengine.projections.KitchenTimes;
import io.orderengine.projections.KitchenBoard;
import io.orderengine.projections.LiveFeed;
import io.orderengine.projections.ProjectionLag;
import io.orderengine.projections.Projections;
import io.orderengine.projections.ProviderUsage;
import io.orderengine.projections.Rebuild;
import io.orderengine.projections.Reconciliation;
import io.orderengine.projections.SalesReport;
import io.orderengine.projections.StallSettlement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the engine, assembled: the database (embedded or external), the schema, the actor
 * system in its cluster, the sharded entities, and the HTTP face. {@link Main} runs one; tests start
 * and stop several in one JVM.
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  public static final String SYSTEM_NAME = "order-engine";
  private static final Duration SCHEMA_WAIT = Duration.ofSeconds(60);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;

  private Node(ActorSystem<Void> system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public static Node start(NodeSettings settings, boolean exitJvmOnShutdown) throws Exception {
    EmbeddedDatabase embedded = settings.embeddedDatabase()
        ? EmbeddedDatabase.start(settings.dataDir(), settings.embeddedDatabasePort())
        : null;
    HikariDataSource dataSource = null;
    try {
      String url = embedded != null ? embedded.jdbcUrl() : settings.databaseUrl();
      String user = embedded != null ? embedded.user() : settings.databaseUser();
      String password = embedded != null ? "" : settings.databasePassword();
      dataSource = pool(url, user, password);
      createSchema(dataSource);

      Config config = config(settings, url, user, password, exitJvmOnShutdown);
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
      HikariDataSource pool = dataSource;
      // Late, after sharding has handed off and the journal has written its last event.
      CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-database",
          () -> {
            pool.close();
            if (embedded != null) {
              quietJournalPool();
              embedded.close();
            }
            return CompletableFuture.completedFuture(Done.getInstance());
          });
      try {
        return wire(system, settings, pool);
      } catch (Exception e) {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        throw e;
      }
    } catch (Exception e) {
      if (dataSource != null) dataSource.close();
      if (embedded != null) embedded.close();
      throw e;
    }
  }

  /**
   * The journal plugins' pool (Slick's, Hikari underneath) keeps polling until the actor system is
   * gone, after this node stops its own database: each poll cut off by that stop would be logged as
   * a broken connection, with a stack trace, at every shutdown of a node on the embedded database.
   * Entities and projections have stopped by now; those last complaints are expected, so the two
   * loggers say only errors from here on. (Closing the pool first only moves the stack trace to
   * Slick.)
   */
  private static void quietJournalPool() {
    for (String name : List.of("com.zaxxer.hikari", "slick")) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.ERROR);
      }
    }
  }

  private static Node wire(ActorSystem<Void> system, NodeSettings settings, HikariDataSource dataSource) throws Exception {
    Config config = system.settings().config();
    PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (settings.bootstrap()) ClusterBootstrap.get(system).start();
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("order-engine.blocking-dispatcher"));
    ProjectionLag projectionLag = new ProjectionLag(dataSource);
    // a cashier's shift closes against the read side's books
    Engine engine = Engine.start(system, EngineSettings.from(config), new CashierBooks(dataSource, projectionLag, blocking),
        PaymentSecrets.of(config, settings), PaymentSecrets.connectors());
    BusinessDay businessDay = new BusinessDay(java.time.ZoneId.of(config.getString("order-engine.venue.time-zone")),
        config.getInt("order-engine.venue.business-day-starts-at-hour"));
    // each venue trades on its own day (its settings); the node's is what a venue starts with
    BusinessDays businessDays = new VenueBusinessDays(engine.menuBoard(), businessDay);
    // printing: jobs from the journal (exactly once), sent by this node's spooler; the receipt's QR is the diner's page
    java.util.concurrent.atomic.AtomicReference<Tokens> dinerLinks = new java.util.concurrent.atomic.AtomicReference<>();
    PrintSetup printSetup = new PrintSetup() {
      @Override
      public java.util.concurrent.CompletionStage<io.orderengine.engine.venue.Venue.View> venue(String venueId) {
        return engine.menuBoard().venueNow(venueId);
      }

      @Override
      public java.util.concurrent.CompletionStage<io.orderengine.engine.bill.Bill.View> bill(String venueId, String billId) {
        return engine.checkout().bill(venueId, billId);
      }

      @Override
      public java.util.Optional<String> dinerPage(String venueId, String tableId) {
        Tokens t = dinerLinks.get();
        if (settings.publicUrl() == null || t == null) return java.util.Optional.empty();
        return java.util.Optional.of(settings.publicUrl() + "/t/" + tableId + "?k="
            + java.net.URLEncoder.encode(t.dinerToken(venueId, tableId), java.nio.charset.StandardCharsets.UTF_8));
      }
    };
    Projections.start(system, dataSource, businessDays, printSetup);
    PrintSpooler spooler = new PrintSpooler(dataSource, printSetup, Duration.ofMillis(500), Duration.ofMillis(500),
        config.hasPath("order-engine.printing.max-backoff") ? config.getDuration("order-engine.printing.max-backoff")
            : Duration.ofSeconds(8));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-print-spooler", () ->
        CompletableFuture.runAsync(spooler::close).thenApply(done -> Done.getInstance()));
    SalesReport sales = new SalesReport(dataSource, businessDays);

    // each venue's stock checks holds nobody confirmed (a node died between hold and lines) while it runs: wake them;
    // and the node learns each venue's settings before a report asks for its business day
    wakeStocks(system, engine, 1);
    CompletableFuture<Done> venueReady = settings.demo()
        ? setUpDemoVenue(system, engine, config.getString("order-engine.venue.time-zone"), settings.demoTables())
        : CompletableFuture.completedFuture(Done.getInstance());

    AuditTrail auditTrail = new AuditTrail(dataSource);
    RequestLedger ledger = new RequestLedger(new IdempotencyStore(dataSource, blocking), auditTrail, dataSource,
        system.executionContext());
    // after HTTP has answered its last request (service-unbind, service-requests-done), before the database closes
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "close-request-ledger", () ->
        CompletableFuture.runAsync(ledger::close).thenApply(done -> Done.getInstance()));
    CompletableFuture.runAsync(() -> {
      int purged = ledger.purgeOlderThan(config.getDuration("order-engine.idempotency-retention"));
      if (purged > 0) log.info("forgot {} idempotency keys past their retention", purged);
    }, blocking).exceptionally(e -> null);

    String dinerSecret = settings.dinerTokenSecret() != null
        ? settings.dinerTokenSecret()
        : NodeSecrets.loadOrCreate(dataSource, "diner-token");
    // staff signed in with their PIN hold session tokens, validated by their venue's staff entity and cached here
    Sessions sessions = new Sessions(system, engine.staffing(), config.getDuration("order-engine.staff.session-cache-ttl"));
    // a path naming a venue nobody created is a 404
    Tokens tokens = Tokens.of(settings.apiTokens(), settings.demo(), new DinerTokens(dinerSecret)).withSessions(sessions)
        .withVenues(engine.venues()::exists);
    dinerLinks.set(tokens);
    RequestMetrics requestMetrics = new RequestMetrics();
    NodeReadiness readiness = NodeReadiness.of(system);
    readiness.watch(system, engine, dataSource, blocking, venueReady);
    ApiRoutes routes = new ApiRoutes(
        new HealthRoutes(readiness),
        new MenuRoutes(engine.menuBoard(), engine.venues(), tokens, ledger),
        new TableRoutes(engine.floor(), tokens, ledger),
        new BillRoutes(engine.checkout(), tokens, ledger, venueId -> engine.menuBoard().venue(venueId).thenApply(v ->
            new BillRoutes.DiscountLimit(v.settings().cashierMaxDiscountPercent(), v.settings().cashierMaxDiscountMinor()))),
        new MemberRoutes(engine.members(), tokens, ledger),
        new GatewayRoutes(engine.checkout(), tokens::venueExists),
        new KitchenRoutes(engine.floor(), new KitchenBoard(dataSource), blocking, tokens, ledger),
        new EventRoutes(new LiveFeed(system, dataSource, blocking), tokens, ledger),
        new ReportRoutes(sales, new StallSettlement(sales), new KitchenTimes(dataSource, businessDays),
            new Reconciliation(dataSource, businessDays), new CardTerminals(dataSource, businessDays), projectionLag,
            new Rebuild(system, dataSource, blocking), engine.menuBoard(), engine.checkout(),
            blocking, businessDays, tokens, ledger),
        new AuditRoutes(auditTrail, businessDays, blocking, tokens, ledger),
        new ShiftRoutes(engine.cashDrawer(), tokens, ledger),
        new MetricsRoutes(projectionLag, new JournalSize(dataSource), blocking, () -> (int) java.util.stream.StreamSupport.stream(
            Cluster.get(system).state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up()).count(), requestMetrics, engine::activeEntities),
        engine.sandbox().enabled() ? new SandboxRoutes(engine.sandbox(), engine.checkout(), businessDay.zone()) : null,
        new TableCardRoutes(engine.menuBoard(), tokens, ledger, java.util.Optional.ofNullable(settings.publicUrl())),
        requestMetrics,
        new StaffRoutes(engine.staffing(), sessions, tokens, ledger),
        new SessionRoutes(sessions, SignInThrottle.standard(), tokens, ledger),
        new VenueRoutes(engine.venues(), tokens, ledger),
        new ProviderRoutes(engine.paymentAccounts(), new ProviderUsage(dataSource, blocking)::lastUsed, tokens, ledger))
        .withPrinters(new PrinterRoutes(engine.venues(), new PrintJobs(dataSource), blocking, tokens, ledger));
    String host = config.getString("order-engine.http.host");
    ServerBinding binding = HttpServer.start(system, host, settings.httpPort(), routes.route())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    engine.sandbox().pointAt("http://127.0.0.1:" + binding.localAddress().getPort());
    // ready from here (Pekko Management's /ready included), and no longer once the unbinding begins
    readiness.apiBound();
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "not-ready", () -> {
      readiness.apiUnbinding();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    log.info("order engine listening on http://{}:{} (demo {})", host, binding.localAddress().getPort(),
        settings.demo() ? "on: tokens demo-waiter, demo-cashier, demo-kitchen, demo-manager, demo-analyst" : "off");
    return new Node(system, binding);
  }

  /** Stops the node the way SIGTERM does: HTTP drains, shards hand off, the database closes last. */
  public void stop() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Wakes the stock of every venue (the one of {@value VenueIds#DEFAULT} always, whether or not the
   * directory answers) and learns its view; asked again a few times while the shards come up.
   */
  private static void wakeStocks(ActorSystem<Void> system, Engine engine, int attempt) {
    engine.menuBoard().stockLevels(VenueIds.DEFAULT).exceptionally(e -> null);
    engine.menuBoard().venue(VenueIds.DEFAULT).exceptionally(e -> null);
    engine.venues().ids().whenComplete((ids, failure) -> {
      if (failure == null) {
        ids.forEach(id -> {
          engine.menuBoard().stockLevels(id).exceptionally(e -> null);
          // and learn its view now, so its settings (its business day) are at hand before a request needs them
          engine.menuBoard().venue(id).exceptionally(e -> null);
        });
      } else if (attempt < 10 && !system.whenTerminated().isCompleted()) {
        system.scheduler().scheduleOnce(Duration.ofSeconds(2), () -> wakeStocks(system, engine, attempt + 1),
            system.executionContext());
      } else {
        log.warn("the venues' stocks were not woken: {}", failure.toString());
      }
    });
  }

  /** Makes the demo food court once the shards can be reached, through the calls the API makes. */
  private static CompletableFuture<Done> setUpDemoVenue(ActorSystem<Void> system, Engine engine, String timeZone, int tables) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    trySetUp(system, engine, timeZone, tables, done, 1);
    return done;
  }

  private static void trySetUp(ActorSystem<Void> system, Engine engine, String timeZone, int tables,
      CompletableFuture<Done> done, int attempt) {
    DemoVenue.setUp(engine.venues(), engine.menuBoard(), timeZone, tables).whenComplete((venue, failure) -> {
      if (failure == null) {
        log.info("demo venue ready: {} dishes, {} tables", venue.items().size(), venue.tableIds().size());
        done.complete(Done.getInstance());
      } else if (!system.whenTerminated().isCompleted()) {
        if (attempt % 5 == 0) log.warn("demo venue not set up yet (attempt {}): {}", attempt, failure.toString());
        system.scheduler().scheduleOnce(Duration.ofSeconds(1), () -> trySetUp(system, engine, timeZone, tables, done, attempt + 1),
            system.executionContext());
      }
    });
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (user != null) hc.setUsername(user);
    if (password != null) hc.setPassword(password);
    hc.setMaximumPoolSize(10);
    hc.setMinimumIdle(1);
    hc.setConnectionTimeout(5_000);
    hc.setInitializationFailTimeout(-1); // the database may come up after the node
    hc.setPoolName("order-engine");
    return new HikariDataSource(hc);
  }

  private static void createSchema(HikariDataSource dataSource) throws Exception {
    long deadline = System.nanoTime() + SCHEMA_WAIT.toNanos();
    while (true) {
      try {
        Schema.create(dataSource);
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) throw e;
        log.warn("database not reachable yet ({}); retrying", e.getMessage());
        Thread.sleep(2_000);
      }
    }
  }

  static Config config(NodeSettings s, String url, String user, String password, boolean exitJvm) {
    Map<String, Object> o = new HashMap<>();
    String db = "pekko-persistence-jdbc.shared-databases.slick.db.";
    o.put(db + "url", url);
    o.put(db + "user", user == null ? "" : user);
    o.put(db + "password", password == null ? "" : password);
    o.put("pekko.remote.artery.canonical.hostname", s.clusterHost());
    o.put("pekko.remote.artery.canonical.port", s.clusterPort());
    o.put("pekko.coordinated-shutdown.exit-jvm", exitJvm ? "on" : "off");
    o.put("order-engine.http.port", s.httpPort());
    o.put("order-engine.sandbox.enabled", s.demo());
    o.put("pekko.management.http.hostname", s.clusterHost());
    o.put("pekko.management.http.port", s.managementPort());
    List<String> seeds = s.bootstrap() ? List.of()
        : s.seedNodes().isEmpty() ? List.of(s.clusterHost() + ":" + s.clusterPort()) : s.seedNodes();
    Config overrides = ConfigFactory.parseMap(o).withValue("pekko.cluster.seed-nodes",
        ConfigValueFactory.fromIterable(seeds.stream().map(hp -> "pekko://" + SYSTEM_NAME + "@" + hp).toList()));
    return overrides.withFallback(ConfigFactory.load());
  }
}
