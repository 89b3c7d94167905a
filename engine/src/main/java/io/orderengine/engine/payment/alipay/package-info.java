/**
 * Alipay's OpenAPI for face-to-face payments (当面付), spoken directly: {@link
 * io.orderengine.engine.payment.alipay.AlipayGateway} is the engine's adapter, {@link
 * io.orderengine.engine.payment.alipay.AlipayEmulator} Alipay's gateway emulated on the same wire
 * protocol for the demo node and the tests.
 *
 * <p>Why no Alipay SDK: the official jar weighs 36.5 MB and brings fastjson 1.2.83, bcprov-jdk15on
 * 1.62 and dom4j 1.6.1, each with published CVEs, and an okhttp 3 that clashes with the WeChat
 * SDK's okhttp 4. What the engine needs of it is one signature rule (SHA256withRSA over sorted
 * parameters, {@link io.orderengine.engine.payment.alipay.AlipaySignature}), a form POST and a JSON
 * answer: the JDK and the Jackson already on the classpath do that, tested against Alipay's own
 * documented examples.
 */
package io.orderengine.engine.payment.alipay;
