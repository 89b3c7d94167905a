package io.orderengine.engine.table;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.orderengine.engine.CborSerializable;
import java.util.List;

/** How the diners want to pay: one bill, equal shares, or groups of lines. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "mode")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Split.Whole.class, name = "WHOLE"),
  @JsonSubTypes.Type(value = Split.Even.class, name = "EVEN"),
  @JsonSubTypes.Type(value = Split.ByLines.class, name = "BY_LINES"),
  @JsonSubTypes.Type(value = Split.BySeat.class, name = "BY_SEAT")
})
public sealed interface Split extends CborSerializable {
  int MAX_PARTS = 20;

  record Whole() implements Split {}

  record Even(int parts) implements Split {}

  /** One bill per seat; lines without a seat make one more, shared bill. */
  record BySeat() implements Split {}

  record ByLines(List<List<String>> parts) implements Split {
    public ByLines {
      parts = parts.stream().map(List::copyOf).toList();
    }
  }
}
