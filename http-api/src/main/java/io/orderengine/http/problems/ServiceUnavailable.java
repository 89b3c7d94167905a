package io.orderengine.http.problems;

/** A dependency (the database, a shard) did not answer; the client may retry with the same key. */
public final class ServiceUnavailable extends RuntimeException {
  public ServiceUnavailable(String detail, Throwable cause) {
    super(detail, cause);
  }
}
