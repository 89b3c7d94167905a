package io.orderengine.engine.payment.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * One kind of an emulator's records ({@code trade}, {@code refund}…) in its {@link EmulatorStore},
 * as immutable Java values: read, and changed by a function of what is there, retried when another
 * server of the emulator changed the record in between, as a database row under optimistic locking.
 */
public final class EmulatorRecords<T> {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int ATTEMPTS = 50;

  private final EmulatorStore store;
  private final String kind;
  private final Class<T> type;

  public EmulatorRecords(EmulatorStore store, String kind, Class<T> type) {
    this.store = store;
    this.kind = kind;
    this.type = type;
  }

  public Optional<T> get(String id) {
    return store.read(key(id)).map(e -> decode(e.json()));
  }

  /**
   * Sets the record to {@code change} of what it is now (empty: none yet); a change answering null, or
   * the same value, writes nothing. Answers the record as it then is (null when there is none).
   */
  public T update(String id, Function<Optional<T>, T> change) {
    String key = key(id);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<EmulatorStore.Entry> entry = store.read(key);
      Optional<T> before = entry.map(e -> decode(e.json()));
      T after = change.apply(before);
      if (after == null || before.filter(after::equals).isPresent()) return after == null ? before.orElse(null) : after;
      if (store.write(key, entry.map(EmulatorStore.Entry::version).orElse(0L), encode(after))) return after;
    }
    throw new IllegalStateException("the emulator's record " + key + " keeps changing under this write");
  }

  /** The record, made by {@code make} when there is none. */
  public T getOrCreate(String id, java.util.function.Supplier<T> make) {
    return update(id, before -> before.orElseGet(make));
  }

  public void put(String id, T value) {
    update(id, before -> value);
  }

  private String key(String id) {
    return kind + ":" + id;
  }

  private String encode(T value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private T decode(String json) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("the emulator's " + kind + " record cannot be read", e);
    }
  }
}
