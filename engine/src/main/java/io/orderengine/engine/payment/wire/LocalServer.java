package io.orderengine.engine.payment.wire;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An emulator served on 127.0.0.1 by the JDK's own HTTP server, on a free port: the "test server
 * that checks every request's signature" of the provider tests, with no HTTP library in between.
 */
public final class LocalServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private LocalServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static LocalServer start(ProviderEmulator emulator) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ExecutorService executor = Executors.newFixedThreadPool(4);
      server.setExecutor(executor);
      server.createContext("/", exchange -> serve(emulator, exchange));
      server.start();
      return new LocalServer(server, executor);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a local emulator server", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void serve(ProviderEmulator emulator, HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      WireResponse response;
      try {
        response = emulator.handle(new WireRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(), headers, body));
      } catch (RuntimeException e) {
        response = WireResponse.of(500, "text/plain", "emulator failure: " + e, Map.of());
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(v)));
      byte[] bytes = response.body();
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
