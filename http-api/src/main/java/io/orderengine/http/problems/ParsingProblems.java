package io.orderengine.http.problems;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request the HTTP parser refuses before any route sees it (a URI or header past
 * the limits, a broken request line): problem+json with a stable code, like every other refusal.
 * Named by {@code pekko.http.server.parsing.error-handler}; Pekko looks the handler up as a Scala
 * object, hence {@link #MODULE$}.
 */
public final class ParsingProblems extends ParsingErrorHandler {
  public static final ParsingProblems MODULE$ = new ParsingProblems();

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.debug("refused an unparsable request: {} {}", status, error.summary());
    HttpResponse answer = org.apache.pekko.http.javadsl.model.HttpResponse.create().withStatus(status.intValue());
    String detail = error.summary() == null || error.summary().isBlank() ? status.reason() : error.summary();
    return Problems.reworded(answer.withEntity(detail));
  }
}
