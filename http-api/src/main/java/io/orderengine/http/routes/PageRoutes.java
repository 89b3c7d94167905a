package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Problems;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The pages people use, served by the node from the jar (no build step, no CDN): the POS at
 * {@code /}, the kitchen display, the diner's page behind a table's QR code, the manager's
 * dashboard, the printable table cards and the back office where a venue is set up. Each page is plain HTML and JavaScript calling the
 * public API with a bearer token.
 *
 * <p>For whoever works on the pages, {@code PAGES_DIR} (the source folder
 * {@code http-api/src/main/resources/pages}) makes the node read them from disk at every request,
 * so an edit shows on reload without a rebuild.
 */
public final class PageRoutes extends AllDirectives {
  private static final ContentType JS = MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);
  private static final ContentType CSS = MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8);
  private static final ContentType SVG = MediaTypes.IMAGE_SVG_XML.toContentType();
  private static final Pattern ASSET = Pattern.compile("[a-z][a-z0-9-]{0,40}\\.(js|css)");
  private static final Pattern TABLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private final Optional<Path> devDirectory;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  public PageRoutes() {
    this(Optional.ofNullable(System.getenv("PAGES_DIR")).filter(d -> !d.isBlank()).map(Path::of));
  }

  PageRoutes(Optional<Path> devDirectory) {
    this.devDirectory = devDirectory;
  }

  public Route route() {
    return get(() -> concat(
        pathSingleSlash(() -> page("pos.html")),
        path("pos", () -> page("pos.html")),
        path("kitchen", () -> page("kitchen.html")),
        path("dashboard", () -> page("dashboard.html")),
        path(segment("t").slash(segment()), tableId -> TABLE_ID.matcher(tableId).matches()
            ? page("diner.html")
            : reject()),
        path("cards", () -> page("cards.html")),
        path("admin", () -> page("admin.html")),
        path("qr.svg", () -> parameterOptional("data", data -> qrCode(data.orElse("")))),
        path(segment("assets").slash(segment()), name -> {
          Optional<byte[]> asset = ASSET.matcher(name).matches() ? resource(name) : Optional.empty();
          return asset.map(bytes -> respond(name.endsWith(".js") ? JS : CSS, bytes)).orElseGet(this::reject);
        })));
  }

  /**
   * The sandbox's stand-in for a wallet app: what the customer's phone shows after scanning a
   * payment's code, with buttons to pay or decline. Served only where the sandbox runs.
   */
  public Route sandboxWallet() {
    return get(() -> path(segment("sandbox").slash(segment()).slash("trades").slash(segment()).slash("wallet"),
        (provider, tradeNo) -> page("wallet.html")));
  }

  /** Anyone may turn text into a QR code: it reveals nothing and changes nothing. */
  private Route qrCode(String data) {
    String svg;
    try {
      svg = QrCodes.svg(data);
    } catch (BadRequest e) {
      return complete(Problems.validation(e.getMessage()).toResponse());
    }
    return respondWithHeader(CacheControl.create(CacheDirectives.MAX_AGE(86400)),
        () -> complete(HttpEntities.create(SVG, svg.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private Route page(String name) {
    return resource(name).map(bytes -> respond(ContentTypes.TEXT_HTML_UTF8, bytes))
        .orElseThrow(() -> new IllegalStateException("pages/" + name + " is missing from the jar"));
  }

  private Route respond(ContentType type, byte[] bytes) {
    // pages change with every release of the jar; a stale cached POS would call an API it no longer matches
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE),
        () -> complete(HttpEntities.create(type, bytes)));
  }

  private Optional<byte[]> resource(String name) {
    if (devDirectory.isPresent()) {
      Path file = devDirectory.get().resolve(name);
      try {
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cache.computeIfAbsent(name, PageRoutes::fromJar);
  }

  private static Optional<byte[]> fromJar(String name) {
    try (InputStream in = PageRoutes.class.getClassLoader().getResourceAsStream("pages/" + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
