package io.orderengine.engine.payment.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An emulated provider's answer: status, headers (the provider's signature ones included) and body. */
public record WireResponse(int status, Map<String, String> headers, byte[] body) {
  public WireResponse {
    headers = Map.copyOf(headers);
  }

  public static WireResponse of(int status, String contentType, String body, Map<String, String> extraHeaders) {
    var headers = new java.util.HashMap<>(extraHeaders);
    headers.put("Content-Type", contentType);
    return new WireResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
