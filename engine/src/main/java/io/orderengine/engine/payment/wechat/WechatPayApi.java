package io.orderengine.engine.payment.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.wechat.pay.java.core.cipher.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * WeChat Pay APIv3 over {@code java.net.http}, asynchronously: every request signed with the
 * merchant's key, every answer believed only once WeChat Pay's signature over it checks. A 5xx, a
 * system error, an unsigned or forged answer, or one that is not a JSON object fails the stage with
 * {@link WechatPayCallFailed}; what the answer means is the caller's to read.
 */
final class WechatPayApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String USER_AGENT = "order-engine-wechatpay/1 (java.net.http)";

  /** A believed answer: its status and its JSON ({@code MissingNode} when the body is empty, as for 204). */
  record Answer(String call, int status, JsonNode body) {
    String code() {
      return body.path("code").asText("");
    }

    String message() {
      return body.path("message").asText("");
    }

    /** The failure for an answer the API does not give to this call: doubt, never a verdict. */
    WechatPayCallFailed unexpected() {
      return new WechatPayCallFailed(call + ": an answer WeChat Pay does not document here: " + status
          + (code().isEmpty() ? "" : " " + code() + " " + message()));
    }
  }

  private final WechatPayConfig config;
  private final HttpClient http;
  private final Clock clock;
  private final Signer signer;
  private final WechatPaySignatureCheck check;

  WechatPayApi(WechatPayConfig config, HttpClient http, Clock clock, Signer signer, WechatPaySignatureCheck check) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.signer = signer;
    this.check = check;
  }

  /** Calls {@code pathAndQuery} (under {@code baseUrl}, starting {@code /v3/}) with a JSON body, or none for null. */
  CompletionStage<Answer> call(String method, String pathAndQuery, JsonNode body) {
    String text;
    try {
      text = body == null ? "" : JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a request", e);
    }
    HttpRequest.Builder request = signed(method, pathAndQuery, text).header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    }
    String name = method + " " + pathAndQuery;
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> believe(name, r));
  }

  /**
   * Downloads a bill file. WeChat Pay does not sign the file: the hash in the signed answer that named
   * it stands for it, and the caller checks it. The download goes to {@code baseUrl}, not to the host
   * in WeChat's link, so a proxy or the emulator serves it too.
   */
  CompletionStage<byte[]> download(String pathAndQuery) {
    HttpRequest request = signed("GET", pathAndQuery, "").GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != 200) throw new WechatPayCallFailed("GET " + pathAndQuery + ": " + r.statusCode());
      return r.body();
    });
  }

  private HttpRequest.Builder signed(String method, String pathAndQuery, String body) {
    var auth = WechatPayAuthorization.sign(config.mchId(), signer, method, pathAndQuery, body, clock.instant());
    return HttpRequest.newBuilder(URI.create(config.baseUrl() + pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", auth.header())
        .header("User-Agent", USER_AGENT);
  }

  private Answer believe(String name, HttpResponse<String> response) {
    int status = response.statusCode();
    String body = response.body() == null ? "" : response.body();
    if (status >= 500) throw new WechatPayCallFailed(name + ": WeChat Pay answered " + status);
    HttpHeaders h = response.headers();
    check.problem(h.firstValue("Wechatpay-Serial").orElse(null), h.firstValue("Wechatpay-Signature").orElse(null),
        h.firstValue("Wechatpay-Timestamp").orElse(null), h.firstValue("Wechatpay-Nonce").orElse(null), body)
        .ifPresent(problem -> {
          throw new WechatPayCallFailed(name + ": an answer (" + status + ") not to be believed: " + problem);
        });
    if (body.isEmpty()) return new Answer(name, status, MissingNode.getInstance());
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new WechatPayCallFailed(name + ": an answer (" + status + ") that is not JSON");
    }
    if (json == null || !json.isObject()) throw new WechatPayCallFailed(name + ": an answer (" + status + ") that is not a JSON object");
    if (json.path("code").asText("").startsWith("SYSTEM")) {
      throw new WechatPayCallFailed(name + ": WeChat Pay's system error " + json.path("code").asText());
    }
    return new Answer(name, status, json);
  }
}
