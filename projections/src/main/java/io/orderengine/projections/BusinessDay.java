package io.orderengine.projections;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A venue's business day: its time zone, and the hour at which one day's trade ends and the next
 * begins ({@link BusinessDays} gives each venue's).
 */
public record BusinessDay(ZoneId zone, int startsAtHour) {
  public BusinessDay {
    if (startsAtHour < 0 || startsAtHour > 23) throw new IllegalArgumentException("a business day starts at hour 0..23");
  }

  public LocalDate of(Instant at) {
    return at.atZone(zone).minusHours(startsAtHour).toLocalDate();
  }

  public LocalDate today() {
    return of(Instant.now());
  }

  /** The moment business day {@code date} begins; it ends where the next one begins. */
  public Instant startOf(LocalDate date) {
    return date.atTime(startsAtHour, 0).atZone(zone).toInstant();
  }
}
