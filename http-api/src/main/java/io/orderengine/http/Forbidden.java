package io.orderengine.http;

/** The caller is known but may not do this, or not to this table; answered 403 FORBIDDEN. */
final class Forbidden extends RuntimeException {
  Forbidden(String message) {
    super(message, null, false, false);
  }
}
