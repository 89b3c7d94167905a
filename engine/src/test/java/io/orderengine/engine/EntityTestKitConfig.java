package io.orderengine.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Config for entity tests: the testkit's in-memory journal and snapshot store over the engine's
 * own {@code reference.conf}, so messages, events and snapshots go through the same Jackson CBOR
 * binding as in production.
 */
public final class EntityTestKitConfig {
  private EntityTestKitConfig() {}

  public static Config config() {
    return ConfigFactory.parseString("pekko.loglevel = WARNING")
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.load());
  }
}
