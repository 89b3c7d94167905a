package io.orderengine.projections.printing;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code print_jobs} table: jobs written by the print projections, read as queues, moved by a manager. */
public final class PrintJobs {
  /** A job waiting longer than this is stuck: the printer is off, out of paper, or gone. */
  public static final Duration STUCK_AFTER = Duration.ofMinutes(1);

  public enum Kind { TICKET, REPRINT, VOID, MOVE, RECEIPT }

  /** A job to write: {@code jobId} derived from its event, so an event never makes two. */
  public record NewJob(String jobId, String venueId, String printerId, Kind kind, String subject, PrintDocument document,
      Instant createdAt) {}

  public record Waiting(String jobId, String kind, String subject, Instant createdAt, int attempts, String lastError,
      boolean stuck, String movedFrom) {}

  public record PrinterState(String state, String lastError, Instant since) {
    public static final PrinterState UNKNOWN = new PrinterState("OK", null, null);
  }

  private final DataSource dataSource;

  public PrintJobs(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** In the projection's transaction: the job, once. */
  static void insert(Connection c, NewJob job) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO print_jobs (job_id, venue_id, printer_id, kind, subject, "
        + "document, created_at, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING")) {
      ps.setString(1, job.jobId());
      ps.setString(2, job.venueId());
      ps.setString(3, job.printerId());
      ps.setString(4, job.kind().name());
      ps.setString(5, job.subject());
      ps.setString(6, job.document().toJson());
      ps.setTimestamp(7, Timestamp.from(job.createdAt()));
      ps.setTimestamp(8, Timestamp.from(job.createdAt()));
      ps.executeUpdate();
    }
  }

  /** Each printer's waiting jobs, oldest first. */
  public Map<String, List<Waiting>> queues(String venueId) throws SQLException {
    Map<String, List<Waiting>> queues = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT printer_id, job_id, kind, subject, created_at, attempts, last_error, moved_from, "
            + "queued_at < now() - make_interval(secs => ?) AS stuck FROM print_jobs "
            + "WHERE venue_id = ? AND printed_at IS NULL ORDER BY printer_id, queued_at, seq")) {
      ps.setLong(1, STUCK_AFTER.toSeconds());
      ps.setString(2, venueId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          queues.computeIfAbsent(rs.getString(1), p -> new ArrayList<>()).add(new Waiting(rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getString(7), rs.getBoolean(9),
              rs.getString(8)));
        }
      }
    }
    return queues;
  }

  public Map<String, PrinterState> states(String venueId) throws SQLException {
    Map<String, PrinterState> states = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT printer_id, state, last_error, since FROM print_printer_states WHERE venue_id = ?")) {
      ps.setString(1, venueId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          states.put(rs.getString(1), new PrinterState(rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
        }
      }
    }
    return states;
  }

  public int waiting(String venueId, String printerId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM print_jobs WHERE venue_id = ? AND printer_id = ? AND printed_at IS NULL")) {
      ps.setString(1, venueId);
      ps.setString(2, printerId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Moves a waiting job and every job queued after it at the same printer to the end of
   * {@code toPrinterId}'s queue, in their order: a later job never overtakes an earlier one, and what
   * waited behind a dead printer's stuck job would be stuck too. A job being sent at that moment is
   * waited for (its row lock); one already printed is not moved. Answers the ids moved, in order.
   */
  public List<String> move(String venueId, String printerId, String jobId, String toPrinterId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<String> moved = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT j.job_id FROM print_jobs j, print_jobs f "
            + "WHERE f.job_id = ? AND f.venue_id = ? AND f.printer_id = ? AND f.printed_at IS NULL "
            + "AND j.venue_id = f.venue_id AND j.printer_id = f.printer_id AND (j.queued_at, j.seq) >= (f.queued_at, f.seq) "
            + "ORDER BY j.queued_at, j.seq FOR UPDATE OF j")) {
          ps.setString(1, jobId);
          ps.setString(2, venueId);
          ps.setString(3, printerId);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) moved.add(rs.getString(1));
          }
        }
        if (moved.isEmpty()) {
          c.rollback();
          throw new Rejected(Rejection.NOT_FOUND, "no job " + jobId + " waiting at printer " + printerId);
        }
        // rows locked: re-read which are still waiting (one may have printed while we waited for its lock)
        try (PreparedStatement ps = c.prepareStatement("UPDATE print_jobs SET printer_id = ?, "
            + "seq = nextval(pg_get_serial_sequence('print_jobs', 'seq')), queued_at = now(), "
            + "moved_from = coalesce(moved_from, printer_id), "
            + "attempts = 0, last_error = NULL WHERE job_id = ? AND printed_at IS NULL")) {
          List<String> done = new ArrayList<>();
          for (String id : moved) {
            ps.setString(1, toPrinterId);
            ps.setString(2, id);
            if (ps.executeUpdate() == 1) done.add(id);
          }
          c.commit();
          return done;
        }
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
