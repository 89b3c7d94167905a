package io.orderengine.http.problems;

/**
 * The caller is known but may not do this, or not to this table; answered 403 with {@code code}
 * (FORBIDDEN unless said otherwise, APPROVAL_REQUIRED when a manager could allow it).
 */
public final class Forbidden extends RuntimeException {
  private final String code;

  public Forbidden(String message) {
    this("FORBIDDEN", message);
  }

  public Forbidden(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
