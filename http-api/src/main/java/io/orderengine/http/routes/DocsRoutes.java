package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * The API's own description: {@code GET /api/v1/openapi.yaml} and the readable page {@code GET /docs}
 * that renders it. No token: like {@code /health/*} these are for anyone who reaches the node. Both
 * are read from the classpath once, when the routes are made.
 *
 * <p>The paths are matched whole, so this route belongs beside {@code health.route()} in the
 * top-level {@code concat}, not under {@code pathPrefix("api")}.
 */
public final class DocsRoutes extends AllDirectives {
  static final String OPENAPI_RESOURCE = "openapi.yaml";
  static final String DOCS_RESOURCE = "docs.html";

  /** {@code application/yaml} (RFC 9512): UTF-8 by definition, so no charset parameter is sent. */
  static final ContentType YAML =
      MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8, "yaml", "yml").toContentType();

  private final ByteString openapi;
  private final ByteString docs;

  public DocsRoutes() {
    this.openapi = load(OPENAPI_RESOURCE);
    this.docs = load(DOCS_RESOURCE);
  }

  public Route route() {
    return concat(
        path(segment("api").slash("v1").slash("openapi.yaml"), () -> get(() -> complete(answer(YAML, openapi)))),
        path("docs", () -> get(() -> complete(answer(ContentTypes.TEXT_HTML_UTF8, docs)))));
  }

  private static HttpResponse answer(ContentType type, ByteString body) {
    return HttpResponse.create()
        .withEntity(HttpEntities.create(type, body))
        .addHeader(RawHeader.create("Cache-Control", "no-cache"));
  }

  private static ByteString load(String resource) {
    ClassLoader loader = DocsRoutes.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("resource " + resource + " is not on the classpath");
      return ByteString.fromArray(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + resource, e);
    }
  }
}
