package io.orderengine.engine.payment.alipay;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code application/x-www-form-urlencoded} in UTF-8: how requests go to Alipay's gateway and how
 * its notifications come back. Signatures are over the decoded values, so this is the only place
 * that sees the encoded ones.
 */
public final class FormBody {
  private FormBody() {}

  public static String encode(Map<String, String> params) {
    StringJoiner out = new StringJoiner("&");
    params.forEach((k, v) -> {
      if (v != null) out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return out.toString();
  }

  /**
   * The decoded parameters, in their order.
   *
   * @throws IllegalArgumentException for a malformed escape or a parameter given twice (which
   *     value was signed would be a guess)
   */
  public static Map<String, String> parse(String body) {
    Map<String, String> params = new LinkedHashMap<>();
    if (body == null || body.isBlank()) return params;
    for (String pair : body.strip().split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (params.putIfAbsent(key, value) != null) throw new IllegalArgumentException("parameter " + key + " given twice");
    }
    return params;
  }
}
