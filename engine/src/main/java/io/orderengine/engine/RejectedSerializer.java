package io.orderengine.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/** Writes a {@link Rejected} as its code, detail and extras, so a refusal crosses nodes whole. */
public final class RejectedSerializer extends JSerializer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {};

  public RejectedSerializer(ExtendedActorSystem system) {}

  @Override
  public int identifier() {
    return 791_201;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Rejected r = (Rejected) o;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("code", r.code().name());
    fields.put("detail", r.detail());
    fields.put("extras", r.extras());
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    try {
      Map<String, Object> fields = JSON.readValue(bytes, FIELDS);
      Map<String, Object> extras = (Map<String, Object>) fields.getOrDefault("extras", Map.of());
      return new Rejected(Rejection.valueOf((String) fields.get("code")), (String) fields.get("detail"), extras);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
