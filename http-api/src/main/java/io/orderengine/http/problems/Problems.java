package io.orderengine.http.problems;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error the API gives, as {@code application/problem+json}; the one place codes meet statuses. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static int statusOf(Rejection code) {
    return switch (code) {
      case NOT_FOUND -> 404;
      case VALIDATION_FAILED -> 400;
      case AMOUNT_EXCEEDS_DUE, METHOD_NOT_SUPPORTED, AMOUNT_EXCEEDS_REFUNDABLE -> 422;
      case PAYMENT_DECLINED -> 402;
      case BAD_SIGNATURE -> 401;
      case DINER_NOT_ALLOWED -> 403;
      case TABLE_ALREADY_OPEN, TABLE_NOT_OPEN, ITEM_UNAVAILABLE, LINE_ALREADY_VOIDED, LINE_ALREADY_BILLED,
          NOTHING_TO_BILL, BILLS_UNSETTLED, UNBILLED_LINES, BILL_SETTLED, MEMBER_EXISTS, INSUFFICIENT_BALANCE,
          PAYMENT_NOT_PENDING, OUT_OF_STOCK, ORDER_HAS_BILLS, SHIFT_CLOSED, STAFF_EXISTS, VENUE_EXISTS, STALL_IN_USE,
          STATION_IN_USE, TABLE_IN_USE, PROVIDER_NOT_CONFIGURED, SECRETS_KEY_MISSING, UNKNOWN_STATION, PRINTER_IN_USE -> 409;
    };
  }

  public static ApiResult problem(int status, String code, String detail) {
    return problem(status, code, detail, Map.of());
  }

  public static ApiResult problem(int status, String code, String detail, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("status", status);
    body.put("title", title(status));
    body.put("detail", detail);
    body.put("code", code);
    body.putAll(extra);
    return new ApiResult(status, ApiResult.PROBLEM_JSON, Json.write(body));
  }

  public static ApiResult validation(String detail) {
    return problem(400, "VALIDATION_FAILED", detail);
  }

  public static ApiResult notFound(String detail) {
    return problem(404, "NOT_FOUND", detail);
  }

  /** The answer for anything a route's work failed with. */
  public static ApiResult from(Throwable failure) {
    Throwable t = Rejected.unwrap(failure);
    if (t instanceof Rejected r) return problem(statusOf(r.code()), r.code().name(), r.detail(), r.extras());
    if (t instanceof BadRequest b) return validation(b.getMessage());
    if (t instanceof Forbidden f) return problem(403, f.code(), f.getMessage());
    if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException size) {
      return problem(413, "PAYLOAD_TOO_LARGE", "the body is larger than the " + size.limit() + " bytes this node accepts");
    }
    if (t instanceof TimeoutException) return unavailable();
    if (t instanceof ServiceUnavailable || t instanceof java.sql.SQLException) {
      log.warn("dependency unavailable: {}", t.toString());
      return unavailable();
    }
    if (t.getClass().getName().endsWith("AskTimeoutException")) return unavailable();
    log.error("unexpected failure while answering a request", t);
    return problem(500, "INTERNAL_ERROR", "the node failed to answer; nothing was changed that is not shown by a retry");
  }


  public static ApiResult unavailable() {
    return problem(503, "SERVICE_UNAVAILABLE",
        "the node could not reach the part of the system that holds this data in time; retry with the same Idempotency-Key");
  }

  /**
   * A response Pekko made itself (a rejection, a parser's refusal), reworded as a problem with a
   * stable code; its headers (e.g. {@code Allow} on a 405) are kept.
   */
  public static HttpResponse reworded(HttpResponse response) {
    int status = response.status().intValue();
    String detail = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    String code = switch (status) {
      case 400 -> "VALIDATION_FAILED";
      case 401 -> "UNAUTHORIZED";
      case 403 -> "FORBIDDEN";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 406 -> "NOT_ACCEPTABLE";
      case 408 -> "REQUEST_TIMEOUT";
      case 413 -> "PAYLOAD_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 431 -> "HEADER_TOO_LARGE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      case 503 -> "SERVICE_UNAVAILABLE";
      default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
    };
    if (status == 413) detail = "the body is larger than this node accepts (MAX_BODY_BYTES)";
    // Pekko's texts sometimes name its exception classes; a client needs the sentence, not the class
    detail = detail.replaceAll("\\b[A-Za-z]+Exception: ", "").replace('\n', ' ').strip();
    ApiResult problem = problem(status, code, detail.isBlank() ? response.status().reason() : detail);
    HttpResponse answer = problem.toResponse();
    for (var header : response.getHeaders()) answer = answer.addHeader(header);
    return answer;
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 408 -> "Request Timeout";
      case 413 -> "Payload Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
