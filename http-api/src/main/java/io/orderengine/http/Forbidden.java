package io.orderengine.http;

/**
 * The caller is known but may not do this, or not to this table; answered 403 with {@code code}
 * (FORBIDDEN unless said otherwise, APPROVAL_REQUIRED when a manager could allow it).
 */
final class Forbidden extends RuntimeException {
  private final String code;

  Forbidden(String message) {
    this("FORBIDDEN", message);
  }

  Forbidden(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }
}
