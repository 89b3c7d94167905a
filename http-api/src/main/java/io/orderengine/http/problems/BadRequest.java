package io.orderengine.http.problems;

/** The request itself is wrong: malformed JSON, a missing field, a value out of range. Answered 400. */
public final class BadRequest extends RuntimeException {
  public BadRequest(String detail) {
    super(detail, null, false, false);
  }
}
