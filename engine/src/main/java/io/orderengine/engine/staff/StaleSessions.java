package io.orderengine.engine.staff;

import io.orderengine.engine.CborSerializable;
import java.util.List;

/**
 * Sent on the cluster's {@value #TOPIC} topic when sessions ended or changed (sign-out, a member
 * disabled, a PIN reset, a role or name changed): every node forgets what it cached of them. Token
 * hashes only, never a token.
 */
public record StaleSessions(String venueId, String staffId, List<String> tokenHashes) implements CborSerializable {
  public static final String TOPIC = "staff-sessions";

  public StaleSessions {
    tokenHashes = List.copyOf(tokenHashes);
  }
}
