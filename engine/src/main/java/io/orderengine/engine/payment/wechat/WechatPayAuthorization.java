package io.orderengine.engine.payment.wechat;

import com.wechat.pay.java.core.cipher.Signer;
import com.wechat.pay.java.core.util.NonceUtil;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Authorization} header of an APIv3 request: the merchant's RSA-SHA256 signature over
 * {@code METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n}, named by the merchant number and the serial
 * number of the merchant's certificate. The gateway makes it, the emulator reads and checks it.
 */
public record WechatPayAuthorization(String mchId, String nonce, String signature, String timestamp, String serialNo) {
  public static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
  /** An auth-param: a token, then a quoted string or a token (RFC 7235: a server takes both; proxies may unquote). */
  private static final Pattern PARAM = Pattern.compile("([a-z_]+)=(?:\"([^\"]*)\"|([^,\\s\"]*))");

  /** Signs a request now, with a fresh nonce; {@code pathAndQuery} is what WeChat's server sees, starting {@code /v3/}. */
  public static WechatPayAuthorization sign(String mchId, Signer signer, String method, String pathAndQuery, String body,
      Instant now) {
    String timestamp = Long.toString(now.getEpochSecond());
    String nonce = NonceUtil.createNonce(32);
    var result = signer.sign(requestMessage(method, pathAndQuery, timestamp, nonce, body));
    return new WechatPayAuthorization(mchId, nonce, result.getSign(), timestamp, result.getCertificateSerialNumber());
  }

  public static String requestMessage(String method, String pathAndQuery, String timestamp, String nonce, String body) {
    return method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + (body == null ? "" : body) + "\n";
  }

  /** What WeChat Pay signs in its answers and callbacks. */
  public static String answerMessage(String timestamp, String nonce, String body) {
    return timestamp + "\n" + nonce + "\n" + (body == null ? "" : body) + "\n";
  }

  public String header() {
    return SCHEMA + " mchid=\"" + mchId + "\",nonce_str=\"" + nonce + "\",signature=\"" + signature
        + "\",timestamp=\"" + timestamp + "\",serial_no=\"" + serialNo + "\"";
  }

  /** Reads a header; empty when it is not a complete {@value #SCHEMA} authorization. */
  public static Optional<WechatPayAuthorization> parse(String header) {
    if (header == null || !header.startsWith(SCHEMA + " ")) return Optional.empty();
    Map<String, String> params = new HashMap<>();
    Matcher m = PARAM.matcher(header.substring(SCHEMA.length() + 1));
    while (m.find()) params.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    String[] names = {"mchid", "nonce_str", "signature", "timestamp", "serial_no"};
    for (String name : names) {
      if (params.getOrDefault(name, "").isEmpty()) return Optional.empty();
    }
    return Optional.of(new WechatPayAuthorization(params.get("mchid"), params.get("nonce_str"), params.get("signature"),
        params.get("timestamp"), params.get("serial_no")));
  }
}
