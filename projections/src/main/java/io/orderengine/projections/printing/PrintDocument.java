package io.orderengine.projections.printing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job prints, as lines that do not yet know their paper: a job is laid out when it is sent,
 * at its printer's width, so a job moved to a printer with other paper still fits. Stored as JSON
 * in {@code print_jobs.document}.
 */
public record PrintDocument(List<Line> lines) {

  public enum Kind { TEXT, PAIR, RULE, QR, FEED }

  /**
   * {@code TEXT}: {@code text} wrapped and aligned; {@code PAIR}: {@code text} left, {@code right}
   * flush right; {@code RULE}: a dashed line; {@code QR}: a QR code of {@code text}; {@code FEED}:
   * an empty line. {@code big}: double width and height (half the columns).
   */
  public record Line(Kind kind, String text, String right, boolean bold, boolean big, EscPos.Align align) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  public PrintDocument {
    lines = List.copyOf(lines);
  }

  public static PrintDocument fromJson(String json) {
    try {
      return JSON.readValue(json, PrintDocument.class);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The job's bytes for paper of {@code columns}: reset, the lines, a partial cut. */
  public byte[] render(int columns) {
    EscPos p = new EscPos().init();
    for (Line l : lines) {
      int cols = l.big() ? columns / 2 : columns;
      switch (l.kind()) {
        case TEXT -> {
          p.align(l.align() == null ? EscPos.Align.LEFT : l.align()).bold(l.bold()).doubleSize(l.big());
          Columns.wrap(l.text(), cols).forEach(p::line);
          p.doubleSize(false).bold(false).align(EscPos.Align.LEFT);
        }
        case PAIR -> {
          p.bold(l.bold()).doubleSize(l.big());
          Columns.pair(l.text(), l.right(), cols).forEach(p::line);
          p.doubleSize(false).bold(false);
        }
        case RULE -> p.line("-".repeat(columns));
        case QR -> p.align(EscPos.Align.CENTER).qr(l.text(), columns >= 48 ? 6 : 4).feed().align(EscPos.Align.LEFT);
        case FEED -> p.feed();
        default -> throw new IllegalStateException("unknown line " + l.kind());
      }
    }
    return p.cut(false).toBytes();
  }

  /** Builds a document line by line. */
  public static final class Builder {
    private final List<Line> lines = new ArrayList<>();

    public Builder title(String text) {
      lines.add(new Line(Kind.TEXT, text, null, true, true, EscPos.Align.CENTER));
      return this;
    }

    public Builder big(String text) {
      lines.add(new Line(Kind.TEXT, text, null, true, true, EscPos.Align.LEFT));
      return this;
    }

    public Builder center(String text) {
      lines.add(new Line(Kind.TEXT, text, null, false, false, EscPos.Align.CENTER));
      return this;
    }

    public Builder text(String text) {
      lines.add(new Line(Kind.TEXT, text, null, false, false, EscPos.Align.LEFT));
      return this;
    }

    public Builder pair(String left, String right) {
      lines.add(new Line(Kind.PAIR, left, right, false, false, null));
      return this;
    }

    public Builder boldPair(String left, String right) {
      lines.add(new Line(Kind.PAIR, left, right, true, false, null));
      return this;
    }

    public Builder rule() {
      lines.add(new Line(Kind.RULE, null, null, false, false, null));
      return this;
    }

    public Builder qr(String data) {
      lines.add(new Line(Kind.QR, data, null, false, false, EscPos.Align.CENTER));
      return this;
    }

    public Builder feed() {
      lines.add(new Line(Kind.FEED, null, null, false, false, null));
      return this;
    }

    public PrintDocument build() {
      return new PrintDocument(lines);
    }
  }
}
