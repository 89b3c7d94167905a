package io.orderengine.deploy;

import com.typesafe.config.Config;
import io.orderengine.engine.payment.accounts.ProviderConnector;
import io.orderengine.engine.payment.accounts.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key venues' merchant secrets are sealed with, and the providers a venue may connect. The key
 * is {@code PAYMENT_SECRETS_KEY}, the same on every node of a cluster. A node on the embedded
 * database (a newcomer's first run, the demo) without one makes one in its data directory, readable
 * by its owner only, so that its venues can connect a provider at once; a node on an external
 * database without one keeps no secrets, and says how to give it the key when asked to.
 */
final class PaymentSecrets {
  private static final Logger log = LoggerFactory.getLogger(PaymentSecrets.class);
  static final String KEY_FILE = "payment-secrets.key";

  private PaymentSecrets() {}

  static Optional<SecretBox> of(Config config, NodeSettings settings) {
    if (config.hasPath("order-engine.payments.secrets-key")) {
      return Optional.of(SecretBox.fromBase64(config.getString("order-engine.payments.secrets-key")));
    }
    if (!settings.embeddedDatabase()) {
      log.warn("PAYMENT_SECRETS_KEY is not set: venues on this node cannot connect WeChat Pay or Alipay accounts");
      return Optional.empty();
    }
    return Optional.of(SecretBox.fromBase64(keptIn(settings.dataDir().resolve(KEY_FILE))));
  }

  /** The key in {@code file}, made there first if there is none. */
  static String keptIn(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path fresh = Files.createTempFile(file.getParent(), "payment-secrets", ".tmp");
        try {
          Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // a file system without POSIX permissions keeps the data directory's own
        }
        Files.writeString(fresh, SecretBox.newKey() + "\n", StandardCharsets.US_ASCII);
        try {
          Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException another) {
          Files.deleteIfExists(fresh); // another node on this data directory made it first
        }
        log.info("made the key merchant secrets are sealed with: {} (keep it with the database)", file);
      }
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the payment secrets key in " + file, e);
    }
  }

  /** The providers a venue may connect its own merchant account at. */
  static List<ProviderConnector> connectors() {
    return List.of(io.orderengine.engine.payment.wechat.WechatPayConnector.standard(),
        io.orderengine.engine.payment.alipay.AlipayConnector.standard());
  }
}
