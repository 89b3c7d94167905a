package io.orderengine.engine.staff;

/** The staff entity's port: it tells the cluster which sessions no node may trust from its cache any more. */
@FunctionalInterface
public interface SessionNotices {
  void stale(StaleSessions notice);
}
