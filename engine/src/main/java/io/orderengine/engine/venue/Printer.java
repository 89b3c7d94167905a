package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A receipt or kitchen printer on the venue's network (ESC/POS over TCP, port 9100 by custom): the
 * stations whose tickets it prints, whether it prints the receipts (小票) of paid bills, and its paper
 * (58 mm: 32 columns, 80 mm: 48 columns).
 */
public record Printer(String printerId, String host, int port, List<String> stations, boolean receipts, int paperWidthMm)
    implements CborSerializable {

  public static final Set<Integer> PAPER_WIDTHS = Set.of(58, 80);
  /** A host name or an IPv4/IPv6 literal; nothing that would read as a URL or carry a path. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]");

  public Printer {
    stations = stations == null ? List.of() : List.copyOf(stations);
  }

  /** ASCII columns a line holds on this paper; a Chinese character takes two. */
  public int columns() {
    return columnsOf(paperWidthMm);
  }

  public static int columnsOf(int paperWidthMm) {
    return paperWidthMm == 58 ? 32 : 48;
  }

  public boolean prints(String stationId) {
    return stations.contains(stationId);
  }

  /** What is wrong with this printer, named by the field a caller sends; empty when nothing is. */
  public Optional<String> problem() {
    if (host == null || host.isBlank()) return Optional.of("host: required");
    if (!HOST.matcher(host).matches()) return Optional.of("host: not a host name or IP address");
    if (port < 1 || port > 65535) return Optional.of("port: must be 1..65535");
    if (!PAPER_WIDTHS.contains(paperWidthMm)) return Optional.of("paperWidthMm: must be 58 or 80");
    if (stations.size() != Set.copyOf(stations).size()) return Optional.of("stations: a station appears more than once");
    return Optional.empty();
  }
}
