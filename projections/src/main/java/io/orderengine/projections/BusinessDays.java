package io.orderengine.projections;

/**
 * Each venue's business day: its time zone and the hour its trading day starts. Venues on one
 * cluster may trade in different zones and close at different hours, so the projections and the
 * reports ask for the day of the venue they work for. Called for each bill a projection opens and
 * for each report: answer from memory, without blocking.
 */
@FunctionalInterface
public interface BusinessDays {
  BusinessDay of(String venueId);

  /** Every venue on one day: the node's own ({@code order-engine.venue.*}), until venues carry their own settings. */
  static BusinessDays everywhere(BusinessDay day) {
    return venueId -> day;
  }
}
