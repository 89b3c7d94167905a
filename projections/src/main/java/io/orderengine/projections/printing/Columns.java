package io.orderengine.projections.printing;

import java.util.ArrayList;
import java.util.List;

/**
 * Text measured as a receipt printer lays it out: an ASCII character takes one column, a Chinese
 * (or other full-width) character two. 58 mm paper holds 32 columns, 80 mm paper 48.
 */
public final class Columns {
  private Columns() {}

  public static int width(String text) {
    int w = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      w += width(cp);
      i += Character.charCount(cp);
    }
    return w;
  }

  /** Two columns for the East Asian wide and full-width characters, one for the rest. */
  public static int width(int cp) {
    if (cp < 0x1100) return 1;
    if (cp <= 0x115F // Hangul Jamo
        || (cp >= 0x2E80 && cp <= 0x303E) // CJK radicals, punctuation
        || (cp >= 0x3041 && cp <= 0x33FF) // kana, CJK symbols
        || (cp >= 0x3400 && cp <= 0x4DBF) // CJK extension A
        || (cp >= 0x4E00 && cp <= 0x9FFF) // CJK unified ideographs
        || (cp >= 0xA000 && cp <= 0xA4CF) // Yi
        || (cp >= 0xAC00 && cp <= 0xD7A3) // Hangul syllables
        || (cp >= 0xF900 && cp <= 0xFAFF) // CJK compatibility ideographs
        || (cp >= 0xFE30 && cp <= 0xFE4F) // CJK compatibility forms
        || (cp >= 0xFF00 && cp <= 0xFF60) // full-width forms
        || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x20000 && cp <= 0x3FFFD)) {
      return 2;
    }
    return 1;
  }

  /**
   * {@code text} broken into lines of at most {@code columns}: at a space where an ASCII word would be
   * cut, anywhere between Chinese characters (Chinese has no spaces); a line never ends inside a
   * character. Line breaks in the text are kept.
   */
  public static List<String> wrap(String text, int columns) {
    if (columns < 2) throw new IllegalArgumentException("columns: at least 2");
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) wrapParagraph(paragraph, columns, lines);
    return lines;
  }

  private static void wrapParagraph(String text, int columns, List<String> lines) {
    StringBuilder line = new StringBuilder();
    int used = 0;
    int lastSpace = -1; // index in line of the last space, where an ASCII word may be broken
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      int w = width(cp);
      if (used + w > columns) {
        if (cp != ' ' && lastSpace > 0 && width(line.codePointBefore(line.length())) == 1 && w == 1) {
          String rest = line.substring(lastSpace + 1);
          lines.add(stripEnd(line.substring(0, lastSpace)));
          line.setLength(0);
          line.append(rest);
          used = width(rest);
        } else {
          lines.add(stripEnd(line.toString()));
          line.setLength(0);
          used = 0;
        }
        lastSpace = -1;
        if (cp == ' ') continue; // a break eats its space
      }
      if (cp == ' ') lastSpace = line.length();
      line.appendCodePoint(cp);
      used += w;
    }
    lines.add(stripEnd(line.toString()));
  }

  /** {@code left} and {@code right} on one line of {@code columns}, the right one flush right. */
  public static List<String> pair(String left, String right, int columns) {
    int rightWidth = width(right);
    int leftColumns = Math.max(2, columns - rightWidth - 1);
    List<String> lefts = wrap(left, leftColumns);
    List<String> out = new ArrayList<>();
    String first = lefts.get(0);
    out.add(first + " ".repeat(Math.max(1, columns - width(first) - rightWidth)) + right);
    out.addAll(lefts.subList(1, lefts.size()));
    return out;
  }

  private static String stripEnd(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    return s.substring(0, end);
  }
}
