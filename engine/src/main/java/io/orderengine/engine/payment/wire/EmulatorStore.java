package io.orderengine.engine.payment.wire;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an emulated provider keeps what it knows (trades, refunds, statement files), the way a
 * provider's own database does: each record a JSON document under a key, written only over the
 * version it was read at, so two servers of one emulator never overwrite each other's change. A test
 * server keeps them in memory ({@link #inMemory()}); a demo node keeps them in the journal, one
 * sharded entity per record ({@link StoredRecords}), so every node of the cluster serves the same
 * trades and a restart forgets none.
 *
 * <p>Calls block: an emulator stands for another company's server and runs on threads of its own.
 */
public interface EmulatorStore {

  /** A record as last written; version 1 is the first write. */
  record Entry(long version, String json) {}

  Optional<Entry> read(String key);

  /**
   * Writes {@code json} as the next version if the record is still at {@code expectedVersion} (0: no
   * record yet); false when another write came first.
   */
  boolean write(String key, long expectedVersion, String json);

  static EmulatorStore inMemory() {
    Map<String, Entry> records = new ConcurrentHashMap<>();
    return new EmulatorStore() {
      @Override
      public Optional<Entry> read(String key) {
        return Optional.ofNullable(records.get(key));
      }

      @Override
      public boolean write(String key, long expectedVersion, String json) {
        Entry next = new Entry(expectedVersion + 1, json);
        if (expectedVersion == 0) return records.putIfAbsent(key, next) == null;
        Entry current = records.get(key);
        return current != null && current.version() == expectedVersion && records.replace(key, current, next);
      }
    };
  }
}
