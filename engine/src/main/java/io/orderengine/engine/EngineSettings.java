package io.orderengine.engine;

import com.typesafe.config.Config;
import io.orderengine.engine.payment.PaymentSaga;
import java.time.Duration;

/** The engine's own settings, read from {@code order-engine.*}. */
public record EngineSettings(Duration askTimeout, int serviceChargePercent, PaymentSaga.Settings payments,
    boolean sandbox) {

  public static EngineSettings from(Config config) {
    Config c = config.getConfig("order-engine");
    return new EngineSettings(
        c.getDuration("ask-timeout"),
        c.getInt("service-charge-percent"),
        new PaymentSaga.Settings(
            c.getDuration("payments.query-interval"),
            c.getDuration("payments.pending-expiry"),
            c.getDuration("payments.retry-backoff")),
        c.getBoolean("sandbox.enabled"));
  }
}
