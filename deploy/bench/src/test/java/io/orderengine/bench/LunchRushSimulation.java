package io.orderengine.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A lunch rush on one node: every virtual user is a table, seated again and again until the rush
 * ends, each time a whole dine-in session as a POS drives it (open, two or three rounds of dishes,
 * fire, bill, pay with a mix of tenders including the sandbox wallet, close), with think time
 * between the steps. Every write carries an Idempotency-Key, as real POS clients send.
 *
 * <p>{@code -Dmode=rush}: {@code -Dtables} concurrent tables ramped over {@code -DrampSeconds},
 * for {@code -DrushSeconds}. {@code -Dmode=open}: new sessions arrive at {@code -DsessionsPerSec}
 * for {@code -DopenSeconds}, whatever the node's answers (an open model), without think time,
 * taking the venue's {@code -Dtables} tables in turn.
 */
public class LunchRushSimulation extends Simulation {
  static final String BASE = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  static final String MODE = System.getProperty("mode", "rush");
  static final int TABLES = Integer.getInteger("tables", 1000);
  /** The open model seats its parties at tables after the rush's, so a table the rush left open cannot trip it. */
  static final int FIRST_TABLE = Integer.getInteger("firstTable", 1);
  static final int RAMP_SECONDS = Integer.getInteger("rampSeconds", 30);
  static final int RUSH_SECONDS = Integer.getInteger("rushSeconds", 120);
  static final double THINK_SECONDS = Double.parseDouble(System.getProperty("thinkSeconds", "2"));
  static final double SESSIONS_PER_SEC = Double.parseDouble(System.getProperty("sessionsPerSec", "20"));
  static final int OPEN_SECONDS = Integer.getInteger("openSeconds", 30);
  static final String WAITER = "Bearer demo-waiter";
  static final String CASHIER = "Bearer demo-cashier";

  /** Dishes anyone may order any number of: no stock limit, no required choice. */
  static final List<String> DISHES = orderableDishes();
  static final AtomicInteger NEXT_TABLE = new AtomicInteger(1);

  static List<String> orderableDishes() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(BASE + "/api/v1/menu"))
          .header("Authorization", WAITER).build(), HttpResponse.BodyHandlers.ofString());
      List<String> skus = new ArrayList<>();
      for (JsonNode item : new ObjectMapper().readTree(r.body()).path("items")) {
        boolean required = false;
        for (JsonNode g : item.path("options")) required |= g.path("required").asBoolean();
        if (item.path("available").asBoolean() && item.path("stock").isNull() && !required) skus.add(item.path("sku").asText());
      }
      if (skus.isEmpty()) throw new IllegalStateException("the menu has no dish to order");
      return skus;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the menu at " + BASE, e);
    }
  }

  /** Each user takes a table of its own: T00001, T00002, ... up to {@code -Dtables}. */
  static final Iterator<Map<String, Object>> TABLE_FEED = new Iterator<>() {
    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Map<String, Object> next() {
      // tables are reused in turn; by the time one comes round again its last party has long left
      int n = FIRST_TABLE + Math.floorMod(NEXT_TABLE.getAndIncrement() - 1, TABLES);
      return Map.of("tableId", String.format("T%05d", n));
    }
  };

  static String items(Session s) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int lines = r.nextInt(1, 4);
    StringBuilder b = new StringBuilder("{\"items\":[");
    for (int i = 0; i < lines; i++) {
      if (i > 0) b.append(',');
      b.append("{\"sku\":\"").append(DISHES.get(r.nextInt(DISHES.size()))).append("\",\"qty\":").append(r.nextInt(1, 3)).append('}');
    }
    return b.append("]}").toString();
  }

  static final Function<Session, String> KEY = s -> UUID.randomUUID().toString();

  static ChainBuilder think() {
    if (THINK_SECONDS <= 0) return exec(s -> s);
    long mean = Math.round(THINK_SECONDS * 1000);
    return pause(Duration.ofMillis(mean / 2), Duration.ofMillis(mean * 3 / 2));
  }

  static ChainBuilder post(String name, String path, String token, Function<Session, String> body, int expected) {
    return exec(http(name).post(path).header("Authorization", token).header("Idempotency-Key", KEY)
        .body(StringBody(body::apply)).asJson().check(status().is(expected)));
  }

  static final ChainBuilder PAY_CASH = exec(http("pay cash").post("/api/v1/bills/#{billId}/payments")
      .header("Authorization", CASHIER).header("Idempotency-Key", KEY)
      .body(StringBody(s -> {
        long total = s.getLong("total");
        long tendered = ((total + 9999) / 10000) * 10000; // a ¥100 note, or several
        return "{\"method\":\"CASH\",\"amountMinor\":" + total + ",\"tenderedMinor\":" + tendered + "}";
      })).asJson().check(status().is(201)));

  /**
   * A card (and a wallet code the cashier scans, below) usually answers at once, 201; when the
   * gateway's first word comes later than the request waits for it, the payment is accepted as
   * pending, 202, and settles the bill when the provider's callback arrives, which the close step
   * waits for, as a POS does.
   */
  static final ChainBuilder PAY_CARD = exec(http("pay card").post("/api/v1/bills/#{billId}/payments")
      .header("Authorization", CASHIER).header("Idempotency-Key", KEY)
      .body(StringBody("{\"method\":\"CARD\",\"amountMinor\":#{total}}")).asJson().check(status().in(201, 202)));

  /** The diner scans the table's code: 202, the sandbox wallet pays, its signed callback settles the bill. */
  static final ChainBuilder PAY_WALLET = exec(http("pay wechat qr").post("/api/v1/bills/#{billId}/payments")
      .header("Authorization", CASHIER).header("Idempotency-Key", KEY)
      .body(StringBody("{\"method\":\"WECHAT\",\"amountMinor\":#{total}}")).asJson()
      .check(status().is(202), jsonPath("$.gatewayTradeNo").saveAs("tradeNo")))
      .pause(Duration.ofMillis(300))
      // a diner who scans before the sandbox wallet has the trade is told it does not know it yet (404)
      // and scans again, for up to five seconds
      .exec(s -> s.set("walletStatus", 404).set("walletTries", 0))
      .asLongAs(s -> s.getInt("walletStatus") == 404 && s.getInt("walletTries") < 25).on(
          exec(http("wallet pays").post("/sandbox/wechat/trades/#{tradeNo}/pay")
              .check(status().in(200, 404).saveAs("walletStatus")))
              .exec(s -> s.set("walletTries", s.getInt("walletTries") + 1))
              .doIf(s -> s.getInt("walletStatus") == 404).then(pause(Duration.ofMillis(200))))
      .exec(s -> s.set("billStatus", "OPEN").set("polls", 0))
      .asLongAs(s -> !"PAID".equals(s.getString("billStatus")) && s.getInt("polls") < 150).on(
          pause(Duration.ofMillis(100))
              .exec(http("bill after callback").get("/api/v1/bills/#{billId}").header("Authorization", CASHIER)
                  .check(status().is(200), jsonPath("$.status").saveAs("billStatus")))
              .exec(s -> s.set("polls", s.getInt("polls") + 1)));

  /** Half in cash, the rest by the cashier scanning the customer's Alipay code. */
  static final ChainBuilder PAY_SPLIT = exec(http("pay cash half").post("/api/v1/bills/#{billId}/payments")
      .header("Authorization", CASHIER).header("Idempotency-Key", KEY)
      .body(StringBody(s -> "{\"method\":\"CASH\",\"amountMinor\":" + s.getLong("total") / 2 + "}")).asJson()
      .check(status().is(201)))
      .exec(http("pay alipay scanned").post("/api/v1/bills/#{billId}/payments")
          .header("Authorization", CASHIER).header("Idempotency-Key", KEY)
          .body(StringBody(s -> "{\"method\":\"ALIPAY\",\"amountMinor\":" + (s.getLong("total") - s.getLong("total") / 2)
              + ",\"authCode\":\"28" + (100000000000000L + ThreadLocalRandom.current().nextLong(899999999999999L)) + "\"}"))
          .asJson().check(status().in(201, 202)));

  /**
   * The table hears that its bills are settled a moment after the bill does; a POS waits for that
   * (its screen shows the table paid), and so does this, for up to fifteen seconds, then closes.
   */
  static final ChainBuilder CLOSE = exec(s -> s.set("settled", false).set("settleChecks", 0))
      .asLongAs(s -> !s.getBoolean("settled") && s.getInt("settleChecks") < 75).on(
          exec(http("table settles").get("/api/v1/tables/#{tableId}").header("Authorization", WAITER)
              .check(status().is(200), jsonPath("$.bills[*].settled").findAll().saveAs("settledFlags")))
              .exec(s -> s.set("settled", s.getList("settledFlags").stream().allMatch(f -> Boolean.parseBoolean(String.valueOf(f))))
                  .set("settleChecks", s.getInt("settleChecks") + 1))
              .doIf(s -> !s.getBoolean("settled")).then(pause(Duration.ofMillis(200))))
      .exec(post("close", "/api/v1/tables/#{tableId}/close", WAITER, s -> "{}", 200));

  static final ChainBuilder DINE_IN = exec(s -> s.set("rounds", ThreadLocalRandom.current().nextInt(2, 4)))
      .exec(post("open", "/api/v1/tables/#{tableId}/open", WAITER,
          s -> "{\"partySize\":" + ThreadLocalRandom.current().nextInt(1, 7) + "}", 201))
      .exec(think())
      .exec(repeat("#{rounds}").on(
          exec(post("add items", "/api/v1/tables/#{tableId}/items", WAITER, LunchRushSimulation::items, 200)),
          think()))
      .exec(post("fire", "/api/v1/tables/#{tableId}/fire", WAITER, s -> "{}", 200))
      .exec(think())
      .exec(http("bill").post("/api/v1/tables/#{tableId}/bill").header("Authorization", WAITER)
          .header("Idempotency-Key", KEY).body(StringBody("{\"split\":{\"mode\":\"WHOLE\"}}")).asJson()
          .check(status().is(201), jsonPath("$.bills[0].billId").saveAs("billId"),
              jsonPath("$.bills[0].totalMinor").ofLong().saveAs("total")))
      .exec(think())
      .exec(randomSwitch().on(
          new Choice.WithWeight(35, PAY_CASH),
          new Choice.WithWeight(25, PAY_CARD),
          new Choice.WithWeight(25, PAY_WALLET),
          new Choice.WithWeight(15, PAY_SPLIT)))
      .exec(CLOSE)
      .exec(think());

  {
    HttpProtocolBuilder protocol = http.baseUrl(BASE).acceptHeader("application/json").shareConnections()
        .maxConnectionsPerHost(64);
    PopulationBuilder population;
    if (MODE.equals("open")) {
      ScenarioBuilder open = scenario("open-loop sessions").feed(TABLE_FEED).exec(DINE_IN);
      population = open.injectOpen(constantUsersPerSec(SESSIONS_PER_SEC).during(OPEN_SECONDS));
    } else {
      ScenarioBuilder rush = scenario("lunch rush").feed(TABLE_FEED)
          // a party seated before the end finishes its meal (exitASAP false): a session cut short would
          // leave its table open, and the next phase seating parties there would find it taken
          .exec(during(Duration.ofSeconds(RUSH_SECONDS), false).on(DINE_IN));
      population = rush.injectOpen(rampUsers(TABLES).during(RAMP_SECONDS));
    }
    setUp(population).protocols(protocol);
  }
}
