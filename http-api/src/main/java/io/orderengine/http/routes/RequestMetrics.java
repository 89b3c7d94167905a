package io.orderengine.http.routes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Counts every answered request by method and status class, with a latency histogram, for /metrics. */
public final class RequestMetrics extends AllDirectives {
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private record Series(LongAdder count, LongAdder[] buckets, LongAdder nanos) {
    static Series create() {
      LongAdder[] b = new LongAdder[BUCKETS.length];
      for (int i = 0; i < b.length; i++) b[i] = new LongAdder();
      return new Series(new LongAdder(), b, new LongAdder());
    }
  }

  private final Map<String, Series> series = new ConcurrentHashMap<>();

  /** Wraps {@code inner}: the time from the request to the start of its answer is recorded. */
  public Route measure(Route inner) {
    return extractRequest(request -> {
      long start = System.nanoTime();
      return mapResponse(response -> {
        record(request.method().value(), response.status().intValue(), System.nanoTime() - start);
        return response;
      }, () -> inner);
    });
  }

  void record(String method, int status, long nanos) {
    Series s = series.computeIfAbsent(method + " " + (status / 100) + "xx", k -> Series.create());
    s.count().increment();
    s.nanos().add(nanos);
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.buckets()[i].increment();
  }

  /** The series in the Prometheus text format. */
  public void render(StringBuilder b) {
    b.append("# HELP order_engine_http_request_duration_seconds Time to answer an HTTP request, by method and status class.\n");
    b.append("# TYPE order_engine_http_request_duration_seconds histogram\n");
    series.forEach((key, s) -> {
      String[] ms = key.split(" ");
      String labels = "method=\"" + ms[0] + "\",status=\"" + ms[1] + "\"";
      for (int i = 0; i < BUCKETS.length; i++) {
        b.append("order_engine_http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(BUCKETS[i])
            .append("\"} ").append(s.buckets()[i].sum()).append('\n');
      }
      b.append("order_engine_http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
          .append(s.count().sum()).append('\n');
      b.append("order_engine_http_request_duration_seconds_sum{").append(labels).append("} ")
          .append(s.nanos().sum() / 1e9).append('\n');
      b.append("order_engine_http_request_duration_seconds_count{").append(labels).append("} ").append(s.count().sum())
          .append('\n');
    });
  }
}
