package io.orderengine.engine.payment.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** A config that cannot work is refused when it is made, naming the field, and never shows a key. */
class AlipayConfigTest {
  private static final KeyPair APP = AlipayEmulator.generateKeys();
  private static final KeyPair ALIPAY = AlipayEmulator.generateKeys();
  private static final String PRIVATE = AlipaySignature.pem(APP.getPrivate());
  private static final String PUBLIC = AlipaySignature.pem(ALIPAY.getPublic());
  private static final String NOTIFY = "https://venue.example/api/v1/gateways/alipay/notify";

  @Test
  void aValidConfigDefaultsToAlipaysGatewayAndHidesItsKeys() {
    AlipayConfig config = new AlipayConfig("2021000000000001", PRIVATE, PUBLIC, NOTIFY, null);
    assertThat(config.gatewayUrl()).isEqualTo(AlipayConfig.ALIPAY_GATEWAY);
    String bare = PRIVATE.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    assertThat(config.toString()).contains("2021000000000001").doesNotContain(bare.substring(0, 40))
        .doesNotContain(PUBLIC.substring(30, 70));
  }

  @Test
  void eachInvalidFieldIsNamed() {
    assertRefused(() -> new AlipayConfig(" ", PRIVATE, PUBLIC, NOTIFY, null), "appId");
    assertRefused(() -> new AlipayConfig("2021 0001", PRIVATE, PUBLIC, NOTIFY, null), "appId");
    assertRefused(() -> new AlipayConfig("2021000000000001", "not a key", PUBLIC, NOTIFY, null), "appPrivateKeyPem");
    assertRefused(() -> new AlipayConfig("2021000000000001", PUBLIC, PUBLIC, NOTIFY, null), "appPrivateKeyPem");
    assertRefused(() -> new AlipayConfig("2021000000000001",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", PUBLIC, NOTIFY, null), "PKCS#8");
    assertRefused(() -> new AlipayConfig("2021000000000001", PRIVATE, "MIIB", NOTIFY, null), "alipayPublicKeyPem");
    assertRefused(() -> new AlipayConfig("2021000000000001", PRIVATE, PUBLIC, "not a url", null), "notifyUrl");
    assertRefused(() -> new AlipayConfig("2021000000000001", PRIVATE, PUBLIC, "ftp://venue.example/n", null), "notifyUrl");
    assertRefused(() -> new AlipayConfig("2021000000000001", PRIVATE, PUBLIC, NOTIFY, "gateway.do"), "gatewayUrl");
  }

  @Test
  void aKeyShorterThan2048BitsIsNotRsa2() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair weak = g.generateKeyPair();
    assertRefused(() -> new AlipayConfig("2021000000000001", AlipaySignature.pem(weak.getPrivate()), PUBLIC, NOTIFY, null),
        "appPrivateKeyPem is a 1024-bit RSA key");
    assertRefused(() -> new AlipayConfig("2021000000000001", PRIVATE, AlipaySignature.pem(weak.getPublic()), NOTIFY, null),
        "alipayPublicKeyPem is a 1024-bit RSA key");
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable make, String named) {
    assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MIIE").doesNotContain(PRIVATE.substring(40, 80)));
  }
}
