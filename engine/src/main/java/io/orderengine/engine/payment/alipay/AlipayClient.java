package io.orderengine.engine.payment.alipay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AlipayGateway}'s wire: a call to Alipay's gateway as a form POST of the common parameters
 * and {@code biz_content}, signed with the app's key, and its answer, believed only once its
 * signature verifies with Alipay's public key. What an answer means is the gateway's to read.
 */
final class AlipayClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AlipayConfig config;
  private final HttpClient http;
  private final Clock clock;
  private final PrivateKey appKey;
  private final PublicKey alipayKey;

  AlipayClient(AlipayConfig config, HttpClient http, Clock clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.appKey = config.appPrivateKey();
    this.alipayKey = config.alipayPublicKey();
  }

  /** The common parameters, signed; the answer read and verified. Never throws: a failure fails the stage. */
  CompletableFuture<Answer> call(String method, ObjectNode biz, boolean notify) {
    try {
      Map<String, String> params = new TreeMap<>();
      params.put("app_id", config.appId());
      params.put("method", method);
      params.put("format", "JSON");
      params.put("charset", "utf-8");
      params.put("sign_type", "RSA2");
      params.put("timestamp", AlipayGateway.TIMESTAMP.format(clock.instant().atZone(AlipayGateway.ALIPAY_ZONE)));
      params.put("version", "1.0");
      if (notify) params.put("notify_url", config.notifyUrl());
      params.put("biz_content", biz.toString());
      params.put("sign", AlipaySignature.sign(AlipaySignature.requestContent(params), appKey));
      HttpRequest request = HttpRequest.newBuilder(URI.create(config.gatewayUrl()))
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofString(FormBody.encode(params), StandardCharsets.UTF_8))
          .build();
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .thenApply(r -> read(method, r.statusCode(), r.body()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Answer read(String method, int status, String body) {
    if (status / 100 != 2) throw new AlipayCallFailed(method + " answered HTTP " + status);
    String key = method.replace('.', '_') + "_response";
    Optional<String> text = AlipaySignature.memberText(body, key).or(() -> AlipaySignature.memberText(body, "error_response"));
    if (text.isEmpty()) throw new AlipayCallFailed(method + " answered something that is not an Alipay answer");
    String sign;
    JsonNode node;
    try {
      sign = JSON.readTree(body).path("sign").asText(null);
      node = JSON.readTree(text.get());
    } catch (IOException e) {
      throw new AlipayCallFailed(method + " answered something that is not JSON");
    }
    if (!AlipaySignature.verify(text.get(), sign, alipayKey)) {
      throw new AlipayCallFailed(method + "'s answer does not verify with Alipay's public key");
    }
    return new Answer(method, node);
  }

  /** A verified answer: its code, sub_code and fields. */
  record Answer(String method, JsonNode node) {
    String code() {
      return node.path("code").asText("");
    }

    String subCode() {
      return node.path("sub_code").asText("");
    }

    boolean success() {
      return code().equals("10000");
    }

    boolean is(String subCode) {
      return code().equals("40004") && subCode().equals(subCode);
    }

    String text(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    String reason() {
      String msg = node.path("sub_msg").asText("");
      return msg.isEmpty() ? subCode() : subCode() + " " + msg;
    }

    AlipayCallFailed unclear() {
      return new AlipayCallFailed(method + " answered " + code() + (subCode().isEmpty() ? "" : " " + subCode())
          + ": nothing certain about the trade");
    }
  }
}
