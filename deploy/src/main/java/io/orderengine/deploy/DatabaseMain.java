package io.orderengine.deploy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL for trying a cluster on one machine (deploy/cluster/run-local): the embedded one,
 * on its own, so nodes can come and go while it stays. Stops on SIGTERM.
 */
public final class DatabaseMain {
  private DatabaseMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(System.getenv().getOrDefault("DATA_DIR", "./data")).toAbsolutePath().normalize();
    int port = Integer.parseInt(System.getenv().getOrDefault("EMBEDDED_DB_PORT", "54329"));
    EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      db.close();
      stopped.countDown();
    }));
    System.out.println("DATABASE_URL=" + db.jdbcUrl());
    System.out.println("DATABASE_USER=" + db.user());
    stopped.await();
  }
}
