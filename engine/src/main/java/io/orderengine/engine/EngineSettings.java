package io.orderengine.engine;

import com.typesafe.config.Config;
import io.orderengine.engine.payment.PaymentSaga;
import io.orderengine.engine.venue.Settings;
import java.time.Duration;

/** The engine's own settings, read from {@code order-engine.*}. */
public record EngineSettings(Duration askTimeout, int serviceChargePercent, int cashRoundingMinor,
    PaymentSaga.Settings payments, boolean sandbox, Settings venueDefaults) {

  public static EngineSettings from(Config config) {
    Config c = config.getConfig("order-engine");
    return new EngineSettings(
        c.getDuration("ask-timeout"),
        c.getInt("service-charge-percent"),
        cashRounding(c.getString("cash-rounding")),
        new PaymentSaga.Settings(
            c.getDuration("payments.query-interval"),
            c.getDuration("payments.pending-expiry"),
            c.getDuration("payments.retry-backoff"),
            c.getDuration("payments.gateway-call-timeout")),
        c.getBoolean("sandbox.enabled"),
        venueDefaults(c));
  }

  /** The node's settings, what a venue is created with (its time zone and currency are the creator's). */
  static Settings venueDefaults(Config c) {
    return new Settings(
        c.getString("venue.time-zone"),
        c.getString("venue.currency"),
        c.getInt("venue.business-day-starts-at-hour"),
        c.getInt("service-charge-percent"),
        cashRounding(c.getString("cash-rounding")),
        c.getInt("discounts.cashier-max-percent"),
        c.getLong("discounts.cashier-max-amount-minor"));
  }

  /** 抹零: {@code none}, {@code jiao} (to 0.10) or {@code yuan} (to 1.00), rounding the cash owed down. */
  static int cashRounding(String rule) {
    return switch (rule.strip().toLowerCase()) {
      case "none", "" -> 0;
      case "jiao" -> 10;
      case "yuan" -> 100;
      default -> throw new IllegalArgumentException("CASH_ROUNDING must be none, jiao or yuan, not '" + rule + "'");
    };
  }
}
