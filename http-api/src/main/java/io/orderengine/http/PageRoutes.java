package io.orderengine.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The staff pages, served by the node from the jar (no build step, no CDN): so far the manager's
 * dashboard. A page signs in with a bearer token (or {@code ?token=} for a kiosk) and calls the public API.
 */
public final class PageRoutes extends AllDirectives {
  private static final ContentType JS = MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);
  private static final ContentType CSS = MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8);

  private final Map<String, byte[]> pages = Map.of("dashboard", read("pages/dashboard.html"));
  private final byte[] script = read("pages/common.js");
  private final byte[] style = read("pages/common.css");

  public Route route() {
    return get(() -> concat(
        path("dashboard", () -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, pages.get("dashboard")))),
        path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("assets").slash("common.js"),
            () -> complete(HttpEntities.create(JS, script))),
        path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("assets").slash("common.css"),
            () -> complete(HttpEntities.create(CSS, style)))));
  }

  private static byte[] read(String resource) {
    try (InputStream in = PageRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
