package io.orderengine.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL kept in {@code DATA_DIR}, so a first run needs nothing installed.
 *
 * <p>Durability is turned back on (the library runs PostgreSQL with fsync off), its own JVM
 * shutdown hook is off (the node stops it after Pekko has finished writing), and a server orphaned
 * by a {@code kill -9} of an earlier node is stopped before a new one starts on the same data.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    Files.createDirectories(dataDir);
    stopOrphan(pgData);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("max_connections", "100");
    if (port > 0) builder.setPort(port);
    EmbeddedPostgres pg = builder.start();
    log.info("embedded PostgreSQL listening on 127.0.0.1:{} with its data in {}", pg.getPort(), pgData);
    return new EmbeddedDatabase(pg);
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
      log.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
    }
  }

  /** A PostgreSQL whose node died with -9 still holds the data directory: ask it to stop and wait. */
  static void stopOrphan(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) return;
    Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of).filter(EmbeddedDatabase::isPostgres);
    if (orphan.isEmpty()) return;
    ProcessHandle p = orphan.get();
    log.warn("a PostgreSQL (pid {}) left running by an earlier node holds {}; stopping it", p.pid(), pgData);
    p.destroy(); // SIGTERM: a smart shutdown that writes everything it acknowledged
    try {
      p.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception timedOut) {
      log.warn("PostgreSQL pid {} did not stop in {}s; killing it (it will recover from its WAL)", p.pid(),
          ORPHAN_STOP_WAIT.toSeconds());
      p.destroyForcibly();
      p.onExit().join();
    }
    waitForPidFileGone(pidFile);
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle p) {
    return p.info().command().map(c -> c.contains("postgres")).orElse(true);
  }

  private static void waitForPidFileGone(Path pidFile) {
    for (int i = 0; i < 50 && Files.exists(pidFile); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
