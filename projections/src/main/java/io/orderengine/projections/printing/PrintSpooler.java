package io.orderengine.projections.printing;

import io.orderengine.engine.venue.Printer;
import io.orderengine.engine.venue.Venue;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the print jobs, one spooler per node. Each printer's queue is sent in order, one job at a
 * time: the spooler locks the head of the queue ({@code FOR UPDATE SKIP LOCKED}; a head another node
 * holds is left to that node), writes the bytes, and marks the job printed in the same transaction,
 * so a job is printed once and a later job never overtakes an earlier one. A printer that does not
 * answer is tried again after a backoff that doubles up to {@link #maxBackoff}; its state, last error
 * and next try are in {@code print_printer_states} for every node to see.
 */
public final class PrintSpooler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PrintSpooler.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final DataSource dataSource;
  private final PrintSetup setup;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final ScheduledExecutorService poller;
  private final ExecutorService senders;
  private final Set<String> sending = ConcurrentHashMap.newKeySet();

  public PrintSpooler(DataSource dataSource, PrintSetup setup, Duration poll, Duration minBackoff, Duration maxBackoff) {
    this.dataSource = dataSource;
    this.setup = setup;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "print-spooler"));
    this.senders = Executors.newFixedThreadPool(4, r -> daemon(r, "print-sender"));
    poller.scheduleWithFixedDelay(this::poll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Every printer with jobs waiting and due for a try gets a sender, unless this node is sending to it already. */
  private void poll() {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT j.venue_id, j.printer_id FROM print_jobs j LEFT JOIN print_printer_states s "
            + "ON s.venue_id = j.venue_id AND s.printer_id = j.printer_id "
            + "WHERE j.printed_at IS NULL AND (s.retry_at IS NULL OR s.retry_at <= now())")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String venueId = rs.getString(1);
          String printerId = rs.getString(2);
          String key = venueId + "/" + printerId;
          if (sending.add(key)) {
            senders.execute(() -> {
              try {
                drain(venueId, printerId);
              } catch (Exception e) {
                log.warn("printer {} of venue {}: {}", printerId, venueId, e.toString());
              } finally {
                sending.remove(key);
              }
            });
          }
        }
      }
    } catch (Exception e) {
      log.debug("print spooler poll failed: {}", e.toString());
    }
  }

  /** Sends the printer's jobs in order until its queue is empty, it fails, or another node holds its head. */
  void drain(String venueId, String printerId) throws Exception {
    Venue.View venue = setup.venue(venueId).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Optional<Printer> printer = venue.printer(printerId);
    if (printer.isEmpty()) return; // taken away with jobs waiting: they stay listed in print_jobs for a move
    Printer p = printer.get();
    while (sendHead(venueId, p)) {
      // next job
    }
  }

  /** One job: true if it printed and the next may follow. */
  private boolean sendHead(String venueId, Printer p) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        String head = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM print_jobs WHERE venue_id = ? AND printer_id = ? "
            + "AND printed_at IS NULL ORDER BY queued_at, seq LIMIT 1")) {
          ps.setString(1, venueId);
          ps.setString(2, p.printerId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) head = rs.getString(1);
          }
        }
        if (head == null) {
          c.rollback();
          return false;
        }
        String document = null;
        // the printer is still this job's (not moved meanwhile), and nobody else is sending it
        try (PreparedStatement ps = c.prepareStatement("SELECT document FROM print_jobs WHERE job_id = ? AND printer_id = ? "
            + "AND printed_at IS NULL FOR UPDATE SKIP LOCKED")) {
          ps.setString(1, head);
          ps.setString(2, p.printerId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) document = rs.getString(1);
          }
        }
        if (document == null) {
          c.rollback();
          return false;
        }
        try {
          PrinterConnection.send(p.host(), p.port(), PrintDocument.fromJson(document).render(p.columns()),
              CONNECT_TIMEOUT, READ_TIMEOUT);
        } catch (IOException e) {
          failed(c, venueId, p.printerId(), head, e);
          c.commit();
          return false;
        }
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE print_jobs SET printed_at = now(), attempts = attempts + 1 WHERE job_id = ?")) {
          ps.setString(1, head);
          ps.executeUpdate();
        }
        state(c, venueId, p.printerId(), "OK", null, 0, null);
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private void failed(Connection c, String venueId, String printerId, String jobId, IOException e) throws SQLException {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE job_id = ?")) {
      ps.setString(1, error);
      ps.setString(2, jobId);
      ps.executeUpdate();
    }
    int failures = 1;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT failures FROM print_printer_states WHERE venue_id = ? AND printer_id = ? AND state = 'UNREACHABLE'")) {
      ps.setString(1, venueId);
      ps.setString(2, printerId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) failures = rs.getInt(1) + 1;
      }
    }
    long backoff = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(20, failures - 1));
    state(c, venueId, printerId, "UNREACHABLE", error, failures, Instant.now().plusMillis(backoff));
    if (failures == 1) log.warn("printer {} of venue {} unreachable: {}", printerId, venueId, error);
  }

  /** The printer's state; {@code since} moves only when the state changes. */
  private static void state(Connection c, String venueId, String printerId, String state, String error, int failures,
      Instant retryAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO print_printer_states (venue_id, printer_id, state, last_error, "
        + "since, failures, retry_at) VALUES (?, ?, ?, ?, now(), ?, ?) ON CONFLICT (venue_id, printer_id) DO UPDATE SET "
        + "since = CASE WHEN print_printer_states.state = EXCLUDED.state THEN print_printer_states.since ELSE now() END, "
        + "state = EXCLUDED.state, last_error = coalesce(EXCLUDED.last_error, print_printer_states.last_error), "
        + "failures = EXCLUDED.failures, retry_at = EXCLUDED.retry_at")) {
      ps.setString(1, venueId);
      ps.setString(2, printerId);
      ps.setString(3, state);
      ps.setString(4, error);
      ps.setInt(5, failures);
      ps.setTimestamp(6, retryAt == null ? null : Timestamp.from(retryAt));
      ps.executeUpdate();
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    senders.shutdown();
    try {
      senders.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
