package io.orderengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what one benchmark run left in its folder and prints the summary as one JSON line:
 * Gatling's console statistics for latencies, requests and failures, the journal's own count of
 * events, the raw database limits, and the node's /metrics samples.
 *
 * <p>{@code verdict <gatling log> <p99 target ms>}: whether an open-model step held.
 * {@code summary <run folder> <tables> <best sessions/s> <70% sessions/s>}: the summary.
 */
public final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROW = Pattern.compile("^> (.+?)\\s+\\|\\s+([\\d,]+)\\s+\\|\\s+([\\d,]+)\\s+\\|\\s+([\\d,\\-]+)\\s*$");
  private static final Pattern ELAPSED = Pattern.compile("(\\d+)s elapsed");

  /** The last statistics Gatling printed: per request name its total, OK and KO counts; the global figures. */
  record Run(Map<String, long[]> requests, Map<String, Long> global, long elapsedSeconds) {
    long ok(String name) {
      long[] r = requests.get(name);
      return r == null ? 0 : r[1];
    }

    long ko(String name) {
      long[] r = requests.get(name);
      return r == null ? 0 : r[2];
    }

    long global(String figure) {
      return global.getOrDefault(figure, -1L);
    }

    long errors() {
      long total = global("request count");
      long ko = global.getOrDefault("ko", 0L);
      return total < 0 ? -1 : ko;
    }
  }

  static Run parse(Path log) throws IOException {
    Map<String, long[]> requests = new LinkedHashMap<>();
    Map<String, Long> global = new LinkedHashMap<>();
    long elapsed = 0;
    boolean inGlobal = false;
    for (String line : Files.readAllLines(log)) {
      Matcher e = ELAPSED.matcher(line);
      if (e.find()) elapsed = Long.parseLong(e.group(1));
      if (line.startsWith("---- Global Information")) inGlobal = true;
      if (line.startsWith("---- Response Time Distribution")) inGlobal = false;
      Matcher m = ROW.matcher(line);
      if (!m.matches()) continue;
      String name = m.group(1).trim();
      long total = number(m.group(2));
      long ok = number(m.group(3));
      long ko = m.group(4).equals("-") ? 0 : number(m.group(4));
      if (inGlobal) {
        String key = name.replace("response time ", "").replace(" (ms)", "");
        global.put(key, total);
        if (name.equals("request count")) global.put("ko", ko);
      } else if (!name.equals("Global")) {
        requests.put(name, new long[] {total, ok, ko});
      }
    }
    return new Run(requests, global, elapsed);
  }

  private static long number(String s) {
    return Long.parseLong(s.replace(",", ""));
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("verdict")) {
      Run run = parse(Path.of(args[1]));
      long target = Long.parseLong(args[2]);
      long p99 = run.global("99th percentile");
      if (p99 < 0) System.out.println("failed (no statistics)");
      else if (run.errors() == 0 && p99 <= target) System.out.println("held p99=" + p99 + "ms errors=0");
      else System.out.println("broke p99=" + p99 + "ms errors=" + run.errors());
      return;
    }
    Path dir = Path.of(args[1]);
    int tables = Integer.parseInt(args[2]);
    double best = Double.parseDouble(args[3]);
    double at70 = Double.parseDouble(args[4]);
    System.out.println(JSON.writeValueAsString(summary(dir, tables, best, at70)));
  }

  static ObjectNode summary(Path dir, int tables, double best, double at70) throws IOException {
    JsonNode raw = JSON.readTree(Files.readString(dir.resolve("raw.json")));
    String[] window = Files.readString(dir.resolve("rush.window")).trim().split("\\s+");
    double start = Double.parseDouble(window[0]);
    double end = Double.parseDouble(window[1]);
    long events = Long.parseLong(window[3]) - Long.parseLong(window[2]);
    Run rush = parse(dir.resolve("rush.log"));
    double seconds = rush.elapsedSeconds() > 0 ? rush.elapsedSeconds() : end - start;

    long commands = commands(rush);
    List<double[]> samples = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("metrics.tsv"))) {
      String[] f = line.split("\t");
      if (f.length < 4) continue;
      double at = Double.parseDouble(f[0]);
      // a scrape that got no answer in time (the node too busy) is no sample: its zeros would flatter the lag
      if (f[2].isBlank() || Double.parseDouble(f[2]) == 0) continue;
      if (at >= start && at <= end) samples.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
    }
    double[] lags = samples.stream().mapToDouble(s -> s[0] * 1000).sorted().toArray();
    double heapMb = samples.stream().mapToDouble(s -> s[1] / (1024 * 1024)).max().orElse(0);

    double rawCommits = raw.path("rawCommitsPerSec").asDouble();
    double rawBatched = raw.path("rawBatchedRowsPerSec").asDouble();
    double eventsPerSec = events / seconds;
    ObjectNode out = JSON.createObjectNode();
    out.put("eventsPerSec", round(eventsPerSec));
    out.put("commandsPerSec", round(commands / seconds));
    // every session opened is closed before its user stops, unless its close failed
    out.put("sessionsPerSec", round((rush.ok("open") - rush.ko("close")) / seconds));
    out.put("rawCommitsPerSec", raw.path("rawCommitsPerSec").asLong());
    out.put("rawBatchedRowsPerSec", raw.path("rawBatchedRowsPerSec").asLong());
    out.put("ratioVsCommitCeiling", round2(eventsPerSec / rawCommits));
    out.put("ratioVsBatchedLimit", round2(eventsPerSec / rawBatched));
    out.put("p50Ms", rush.global("50th percentile"));
    out.put("p99Ms", rush.global("99th percentile"));
    out.put("p999Ms", rush.global("99.9th percentile"));
    out.put("concurrentTables", tables);
    out.put("errors", rush.errors());
    out.put("projectionLagP99Ms", lags.length == 0 ? -1 : Math.round(lags[(int) Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)]));
    out.put("heapMb", Math.round(heapMb));
    out.put("metricsSamples", samples.size());
    out.put("rushSeconds", Math.round(seconds));
    out.put("eventsCommitted", events);
    out.put("highestSustainedSessionsPerSec", best);
    Path at70Log = dir.resolve("open-at70.log");
    if (Files.exists(at70Log)) {
      Run r = parse(at70Log);
      out.put("sessionsPerSecAt70", at70);
      out.put("p99MsAt70", r.global("99th percentile"));
      out.put("errorsAt70", r.errors());
    }
    // capacity: the sessions without think time, the node saturated
    Path capacityLog = dir.resolve("capacity.log");
    Path capacityWindow = dir.resolve("capacity.window");
    if (Files.exists(capacityLog) && Files.exists(capacityWindow)) {
      String[] w = Files.readString(capacityWindow).trim().split("\\s+");
      Run cap = parse(capacityLog);
      double s = cap.elapsedSeconds() > 0 ? cap.elapsedSeconds() : Double.parseDouble(w[1]) - Double.parseDouble(w[0]);
      double capacity = (Long.parseLong(w[3]) - Long.parseLong(w[2])) / s;
      out.put("capacityEventsPerSec", round(capacity));
      out.put("capacityCommandsPerSec", round(commands(cap) / s));
      out.put("capacityRequestsPerSec", round(cap.global("request count") / s));
      out.put("capacityP99Ms", cap.global("99th percentile"));
      out.put("capacityErrors", cap.errors());
      out.put("capacityRatioVsCommitCeiling", round2(capacity / rawCommits));
      out.put("capacityRatioVsBatchedLimit", round2(capacity / rawBatched));
    }
    // the journal alone (JournalBench): for each DAO its best rate over the writer counts tried
    Path journal = dir.resolve("journal.jsonl");
    if (Files.exists(journal)) {
      Map<String, JsonNode> fastest = new java.util.TreeMap<>();
      for (String line : Files.readAllLines(journal)) {
        if (line.isBlank()) continue;
        JsonNode j = JSON.readTree(line);
        String key = j.path("dao").asText().equals("BatchedJournalDao") ? "journal" : "journalPluginDao";
        if (!fastest.containsKey(key) || fastest.get(key).path("eventsPerSec").asDouble() < j.path("eventsPerSec").asDouble()) {
          fastest.put(key, j);
        }
      }
      for (var e : fastest.entrySet()) {
        String suffix = e.getKey().equals("journal") ? "" : "PluginDao";
        out.put("journalEventsPerSec" + suffix, e.getValue().path("eventsPerSec").asLong());
        out.put("journalWriters" + suffix, e.getValue().path("writers").asLong());
        out.put("journalP99Ms" + suffix, e.getValue().path("p99Ms").asLong());
      }
      if (fastest.containsKey("journal")) {
        out.put("journalRatioVsCommitCeiling", round2(fastest.get("journal").path("eventsPerSec").asDouble() / rawCommits));
        out.put("journalRatioVsBatchedLimit", round2(fastest.get("journal").path("eventsPerSec").asDouble() / rawBatched));
      }
    }
    return out;
  }

  /** Writes answered: every request but the two reads a session polls with. */
  static long commands(Run run) {
    long commands = 0;
    for (Map.Entry<String, long[]> r : run.requests().entrySet()) {
      if (!r.getKey().equals("bill after callback") && !r.getKey().equals("table settles")) commands += r.getValue()[1];
    }
    return commands;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
