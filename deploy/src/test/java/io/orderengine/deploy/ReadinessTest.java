package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One readiness for the node: Pekko Management's {@code /ready}, which Kubernetes probes, says 200
 * no sooner than {@code GET /health/ready} would. A probe that passed before the API was bound
 * would send a rolling update's traffic to a pod that refuses connections.
 */
class ReadinessTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path dataDir;

  @Test
  void theProbeIsReadyOnlyOnceTheApiIsAndBothAgree() throws Exception {
    int httpPort = TestNode.freePort();
    int managementPort = TestNode.freePort();
    NodeSettings settings = new NodeSettings(httpPort, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(),
        List.of(), managementPort, true, null, 0);
    String probe = "http://127.0.0.1:" + managementPort + "/ready";
    String api = "http://127.0.0.1:" + httpPort + "/health/ready";

    CompletableFuture<Node> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return Node.start(settings, false);
      } catch (Exception e) {
        throw new IllegalStateException("the node did not start", e);
      }
    });
    Node node = null;
    try {
      // watch the probe from before the node exists; the moment it first says 200, ask the API
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      int probeSaid = -1;
      while (probeSaid != 200 && System.nanoTime() < deadline) {
        probeSaid = status(probe);
        if (probeSaid != 200) Thread.sleep(20);
      }
      assertThat(probeSaid).as("Pekko Management's /ready within 90 s").isEqualTo(200);
      assertThat(status(api)).as("GET /health/ready the moment /ready first said 200 (-1: connection refused)")
          .isEqualTo(200);

      node = starting.get(60, TimeUnit.SECONDS);
      assertThat(status(probe)).isEqualTo(200);
      assertThat(status(api)).isEqualTo(200);
      // the check Pekko Management made by class name is the node's own
      assertThat(new ReadinessProbe(Adapter.toClassic(node.system())).get().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isTrue();
      assertThat(NodeReadiness.of(Adapter.toClassic(node.system()))).isSameAs(NodeReadiness.of(node.system()));
    } finally {
      if (node == null) node = starting.get(90, TimeUnit.SECONDS);
      node.stop();
    }
  }

  /** The status of a GET, or -1 when nothing listens yet. */
  private static int status(String url) throws InterruptedException {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notListening) {
      return -1;
    }
  }
}
