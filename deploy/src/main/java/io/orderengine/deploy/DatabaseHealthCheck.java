package io.orderengine.deploy;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management's readiness check for the database: the orchestrator stops sending traffic to
 * a node that cannot reach PostgreSQL, and sends it again when PostgreSQL is back. It connects
 * with the journal's own settings, so it checks exactly the database the node writes to.
 */
public final class DatabaseHealthCheck implements Supplier<CompletionStage<Boolean>> {
  private final String url;
  private final Properties credentials = new Properties();
  private final Executor blocking;

  public DatabaseHealthCheck(ActorSystem system) {
    Config db = system.settings().config().getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
    this.url = db.getString("url");
    credentials.setProperty("user", db.getString("user"));
    credentials.setProperty("password", db.getString("password"));
    credentials.setProperty("connectTimeout", "2");
    credentials.setProperty("socketTimeout", "3");
    this.blocking = system.dispatchers().lookup("order-engine.blocking-dispatcher");
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = DriverManager.getConnection(url, credentials)) {
        return c.isValid(2);
      } catch (SQLException e) {
        return false;
      }
    }, blocking);
  }
}
