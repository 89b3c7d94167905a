package io.orderengine.engine.staff;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The venue's rules for sessions and sign-in ({@code order-engine.staff}): how long a session lasts
 * (a shift), how many sign-ins may go wrong before the next must wait, how long it waits (doubling,
 * up to a ceiling: a real member of staff is never locked out for good), how many tills one person
 * may be signed in at, and how slow the PIN hash is.
 */
public record StaffPolicy(Duration sessionLength, int freeAttempts, Duration firstBackoff, Duration maxBackoff,
    int maxSessionsPerMember, int pinHashIterations) {

  public static StaffPolicy from(Config orderEngine) {
    Config c = orderEngine.getConfig("staff");
    return new StaffPolicy(
        c.getDuration("session-length"),
        c.getInt("sign-in.free-attempts"),
        c.getDuration("sign-in.first-backoff"),
        c.getDuration("sign-in.max-backoff"),
        c.getInt("max-sessions-per-member"),
        c.getInt("pin-hash-iterations"));
  }

  public StaffPolicy {
    if (sessionLength.isNegative() || sessionLength.isZero()) throw new IllegalArgumentException("SESSION_LENGTH must be positive");
    if (freeAttempts < 1) throw new IllegalArgumentException("staff.sign-in.free-attempts must be 1 or more");
    if (maxSessionsPerMember < 1) throw new IllegalArgumentException("staff.max-sessions-per-member must be 1 or more");
    if (pinHashIterations < 10_000) throw new IllegalArgumentException("PIN_HASH_ITERATIONS must be 10000 or more");
  }

  /** How long sign-in waits after {@code failures} unanswered attempts in a row; zero while some are free. */
  public Duration backoffAfter(int failures) {
    if (failures < freeAttempts) return Duration.ZERO;
    int doublings = Math.min(failures - freeAttempts, 20);
    Duration d = firstBackoff.multipliedBy(1L << doublings);
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
