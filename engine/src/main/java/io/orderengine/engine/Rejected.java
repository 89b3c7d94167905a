package io.orderengine.engine;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * A command refused by the domain: a stable code and a sentence for people.
 *
 * <p>It travels between nodes as the text of a {@link StatusReply} error ("CODE: detail"), which
 * Pekko serializes itself, and is turned back into this type on the asking side.
 */
public final class Rejected extends RuntimeException {
  private static final Pattern STATUS_TEXT = Pattern.compile("^([A-Z_]+): (.*)$", Pattern.DOTALL);

  private final Rejection code;

  public Rejected(Rejection code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public Rejection code() {
    return code;
  }

  public String detail() {
    return getMessage();
  }

  public <T> StatusReply<T> toReply() {
    return StatusReply.error(code.name() + ": " + getMessage());
  }

  public static <T> StatusReply<T> reply(Rejection code, String detail) {
    return new Rejected(code, detail).toReply();
  }

  /** Unwraps a failed ask: a domain refusal becomes {@link Rejected}; anything else is returned as it is. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StatusReply.ErrorMessage error) {
      Matcher m = STATUS_TEXT.matcher(error.getMessage());
      if (m.matches()) {
        try {
          return new Rejected(Rejection.valueOf(m.group(1)), m.group(2));
        } catch (IllegalArgumentException unknownCode) {
          return t;
        }
      }
    }
    return t;
  }
}
