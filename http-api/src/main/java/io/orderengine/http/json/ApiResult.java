package io.orderengine.http.json;

import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * An answer of the API as plain data (status, content type, body), so it can be stored for an
 * idempotent replay and turned into the same HTTP response again.
 */
public record ApiResult(int status, String contentType, String body, boolean replayed) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  public ApiResult(int status, String contentType, String body) {
    this(status, contentType, body, false);
  }

  public static ApiResult json(int status, Object value) {
    return new ApiResult(status, JSON, Json.write(value));
  }

  /** The same answer, marked as given again to a retry. */
  public ApiResult asReplay() {
    return new ApiResult(status, contentType, body, true);
  }

  public static ApiResult ok(Object value) {
    return json(200, value);
  }

  public static ApiResult created(Object value) {
    return json(201, value);
  }

  public HttpResponse toResponse(HttpHeader... extra) {
    HttpResponse response = HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(mediaType(), ByteString.fromString(body)))
        .addHeaders(List.of(extra));
    return replayed ? response.addHeader(RawHeader.create("Idempotent-Replayed", "true")) : response;
  }

  private static final ContentType PROBLEM =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();

  private ContentType mediaType() {
    if (PROBLEM_JSON.equals(contentType)) return PROBLEM;
    if (JSON.equals(contentType)) return ContentTypes.APPLICATION_JSON;
    return ContentTypes.parse(contentType);
  }
}
