package io.orderengine.engine;

import com.typesafe.config.Config;
import java.time.Duration;

/** The engine's own settings, read from {@code order-engine.*}. */
public record EngineSettings(Duration askTimeout, int serviceChargePercent) {

  public static EngineSettings from(Config config) {
    Config c = config.getConfig("order-engine");
    return new EngineSettings(c.getDuration("ask-timeout"), c.getInt("service-charge-percent"));
  }
}
