package io.orderengine.engine;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.pattern.StatusReply;

/**
 * A command refused by the domain: a stable code, a sentence for people, and the facts a client
 * needs to act on it (OUT_OF_STOCK's {@code sku} and {@code available}).
 *
 * <p>It travels between nodes inside a {@link StatusReply} error as it is, written by
 * {@link RejectedSerializer}: the asking side gets the same code, detail and extras back.
 */
public final class Rejected extends RuntimeException {
  private final Rejection code;
  private final Map<String, Object> extras;

  public Rejected(Rejection code, String detail) {
    this(code, detail, Map.of());
  }

  /** {@code extras}: strings and whole numbers only, named as the problem document names them. */
  public Rejected(Rejection code, String detail, Map<String, Object> extras) {
    super(detail, null, false, false);
    this.code = code;
    this.extras = Map.copyOf(extras);
  }

  public Rejection code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, Object> extras() {
    return extras;
  }

  public <T> StatusReply<T> toReply() {
    return StatusReply.error(this);
  }

  public static <T> StatusReply<T> reply(Rejection code, String detail) {
    return new Rejected(code, detail).toReply();
  }

  /** The failure of an ask with the wrappers of futures taken off: a refusal is the {@link Rejected} itself. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return code + ": " + getMessage() + (extras.isEmpty() ? "" : " " + extras);
  }
}
