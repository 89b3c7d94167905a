package io.orderengine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real node on the embedded PostgreSQL, driven over real HTTP, for tests. */
final class TestNode implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
    String code() {
      return body.path("code").asText(null);
    }
  }

  private final Node node;
  private final String base;

  private TestNode(Node node) {
    this.node = node;
    this.base = "http://127.0.0.1:" + node.httpPort();
  }

  static TestNode start(Path dataDir) throws Exception {
    return start(dataDir, null);
  }

  /** A demo node that also accepts {@code apiTokens} (as API_TOKENS gives them, e.g. {@code owner-token:owner:Boss:main}). */
  static TestNode start(Path dataDir, String apiTokens) throws Exception {
    return start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", freePort(), List.of(), 0, true, apiTokens, 0));
  }

  /** A node without the demo (DEMO=false): no venue but those created over the API, and these {@code API_TOKENS}. */
  static TestNode startWithoutDemo(Path dataDir, String apiTokens) throws Exception {
    return start(new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", freePort(), List.of(), 0, false, apiTokens, 0));
  }

  Answer put(String path, String token, String body) throws Exception {
    return call("PUT", path, token, body, null);
  }

  Answer delete(String path, String token) throws Exception {
    return call("DELETE", path, token, null, null);
  }

  /** A body of another type than JSON (text/csv); the answer's body as text. */
  HttpResponse<String> send(String method, String path, String token, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (contentType != null) b.header("Content-Type", contentType);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static TestNode start(NodeSettings settings) throws Exception {
    TestNode node = new TestNode(Node.start(settings, false));
    node.awaitReady();
    return node;
  }

  /**
   * A port free now, below Linux's ephemeral range (32768-60999): a port the kernel hands out for
   * {@code new ServerSocket(0)} can be handed out again, before the node binds it, as the local end
   * of some other process's outgoing connection (a three-JVM test lost a node so: "Address already
   * in use").
   */
  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20000, 32000);
      try (ServerSocket s = new ServerSocket(port)) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }

  void awaitReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (call("GET", "/health/ready", null, null, null).status() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("node not ready within 60 s");
  }

  org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return node.system();
  }

  String base() {
    return base;
  }

  Answer get(String path, String token) throws Exception {
    return call("GET", path, token, null, null);
  }

  Answer post(String path, String token, String body) throws Exception {
    return call("POST", path, token, body, null);
  }

  Answer post(String path, String token, String body, String idempotencyKey) throws Exception {
    return call("POST", path, token, body, idempotencyKey);
  }

  Answer call(String method, String path, String token, String body, String idempotencyKey) throws Exception {
    return call(method, path, token, body, idempotencyKey, java.util.Map.of());
  }

  Answer call(String method, String path, String token, String body, String idempotencyKey,
      java.util.Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r);
  }

  @Override
  public void close() throws Exception {
    node.stop();
  }
}
