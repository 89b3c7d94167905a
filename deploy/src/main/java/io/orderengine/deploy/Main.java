package io.orderengine.deploy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one node configured from the environment (see README and shared/API.md). */
public final class Main {
  static {
    // With fewer than three cores the JDK's common pool has one thread, and CompletableFuture then
    // starts a new thread for every asynchronous step (its ThreadPerTaskExecutor): on a 2-core
    // machine that is a thread per request. Set before anything touches the pool.
    String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(parallelism) == null) {
      System.setProperty(parallelism, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    NodeSettings settings;
    try {
      settings = NodeSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("order-engine: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Node.start(settings, true);
    } catch (Exception e) {
      log.error("the node could not start: {}", e.toString(), e);
      System.exit(1);
    }
  }
}
