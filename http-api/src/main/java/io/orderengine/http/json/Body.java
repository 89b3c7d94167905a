package io.orderengine.http.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderengine.http.problems.BadRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JSON request body read strictly: every getter names the field it rejects and why, so a
 * client learns from a 400 exactly what to fix. A string where a number belongs is an error, not
 * something to guess at.
 */
public final class Body {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final int MAX_TEXT = 500;

  private final ObjectNode node;
  private final String where;

  private Body(ObjectNode node, String where) {
    this.node = node;
    this.where = where;
  }

  public static Body parse(String raw) {
    if (raw == null || raw.isBlank()) return new Body(JsonNodeFactory.instance.objectNode(), "");
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (parsed == null || parsed.isMissingNode()) return new Body(JsonNodeFactory.instance.objectNode(), "");
    if (!parsed.isObject()) throw new BadRequest("the body must be a JSON object");
    return new Body((ObjectNode) parsed, "");
  }

  /** The body as one normalized string, for telling a retry from another request. */
  public String canonical() {
    return node.toString();
  }

  /** The field is present, even if it is null. */
  public boolean hasField(String field) {
    return node.has(field);
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public long requiredLong(String field, long min, long max) {
    return optionalLong(field, min, max).orElseThrow(() -> missing(field));
  }

  public Optional<Long> optionalLong(String field, long min, long max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BadRequest(name(field) + " must be an integer");
    }
    long value = v.longValue();
    if (value < min || value > max) throw new BadRequest(name(field) + " must be " + min + ".." + max);
    return Optional.of(value);
  }

  public int requiredInt(String field, int min, int max) {
    return (int) requiredLong(field, min, max);
  }

  public Optional<Integer> optionalInt(String field, int min, int max) {
    return optionalLong(field, min, max).map(Long::intValue);
  }

  public boolean requiredBoolean(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw missing(field);
    if (!v.isBoolean()) throw new BadRequest(name(field) + " must be true or false");
    return v.booleanValue();
  }

  public String requiredText(String field) {
    return optionalText(field).orElseThrow(() -> missing(field));
  }

  public Optional<String> optionalText(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return Optional.empty();
    if (!v.isTextual()) throw new BadRequest(name(field) + " must be a string");
    String text = v.textValue().strip();
    if (text.length() > MAX_TEXT) throw new BadRequest(name(field) + " is longer than " + MAX_TEXT + " characters");
    return Optional.of(text);
  }

  public String requiredNonBlank(String field) {
    String text = requiredText(field);
    if (text.isEmpty()) throw new BadRequest(name(field) + " must not be empty");
    return text;
  }

  public String requiredId(String field) {
    String text = requiredText(field);
    if (!ID.matcher(text).matches()) throw new BadRequest(name(field) + " must match [A-Za-z0-9_-]{1,32}");
    return text;
  }

  public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
    String text = requiredText(field);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(name(field) + " must be one of " + List.of(type.getEnumConstants()));
    }
  }

  public Body requiredObject(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw missing(field);
    if (!v.isObject()) throw new BadRequest(name(field) + " must be an object");
    return new Body((ObjectNode) v, where + field + ".");
  }

  public List<Body> requiredObjects(String field, int minSize, int maxSize) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw missing(field);
    if (!v.isArray()) throw new BadRequest(name(field) + " must be an array");
    if (v.size() < minSize || v.size() > maxSize) {
      throw new BadRequest(name(field) + " must have " + minSize + ".." + maxSize + " entries");
    }
    List<Body> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isObject()) throw new BadRequest(name(field) + "[" + i + "] must be an object");
      out.add(new Body((ObjectNode) e, where + field + "[" + i + "]."));
    }
    return out;
  }

  /** An optional array of ids (e.g. option codes); absent or null is empty. */
  public List<String> optionalIds(String field, int maxSize) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray() || v.size() > maxSize) throw new BadRequest(name(field) + " must be an array of at most " + maxSize + " codes");
    List<String> ids = new ArrayList<>();
    for (JsonNode id : v) {
      if (!id.isTextual() || !ID.matcher(id.textValue()).matches()) {
        throw new BadRequest(name(field) + " must hold codes matching [A-Za-z0-9_-]{1,32}");
      }
      ids.add(id.textValue());
    }
    return ids;
  }

  public java.util.Optional<List<Body>> optionalObjects(String field, int maxSize) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return java.util.Optional.empty();
    return java.util.Optional.of(requiredObjects(field, 0, maxSize));
  }

  /** An array of arrays of ids, e.g. the parts of a split by lines. */
  public List<List<String>> requiredIdGroups(String field, int maxGroups, int maxPerGroup) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) throw missing(field);
    if (!v.isArray() || v.isEmpty() || v.size() > maxGroups) {
      throw new BadRequest(name(field) + " must be an array of 1.." + maxGroups + " arrays of line ids");
    }
    List<List<String>> groups = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode g = v.get(i);
      if (!g.isArray() || g.isEmpty() || g.size() > maxPerGroup) {
        throw new BadRequest(name(field) + "[" + i + "] must be an array of 1.." + maxPerGroup + " line ids");
      }
      List<String> ids = new ArrayList<>();
      for (JsonNode id : g) {
        if (!id.isTextual() || !ID.matcher(id.textValue()).matches()) {
          throw new BadRequest(name(field) + "[" + i + "] must hold line ids");
        }
        ids.add(id.textValue());
      }
      groups.add(ids);
    }
    return groups;
  }

  private BadRequest missing(String field) {
    return new BadRequest(name(field) + " is required");
  }

  /** How a 400 names {@code field} of this body: {@code 'items[3].priceMinor'}. */
  public String path(String field) {
    return name(field);
  }

  private String name(String field) {
    return "'" + where + field + "'";
  }
}
