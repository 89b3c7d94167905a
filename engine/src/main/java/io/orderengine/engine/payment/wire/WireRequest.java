package io.orderengine.engine.payment.wire;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as a provider's server receives it, free of any HTTP library: what an emulator
 * of a provider answers, whether it is served by a JDK server in a test or by the demo node.
 *
 * @param path the path under the emulator's mount point, starting with {@code /} ({@code /v3/pay/transactions/native})
 * @param query the raw query string without {@code ?}, or empty
 * @param headers keyed by lower-case name
 */
public record WireRequest(String method, String path, String query, Map<String, String> headers, String body) {
  public WireRequest {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    headers = Map.copyOf(lower);
    query = query == null ? "" : query;
    body = body == null ? "" : body;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
