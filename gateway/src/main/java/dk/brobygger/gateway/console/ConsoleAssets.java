package dk.brobygger.gateway.console;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's browser files, from the class path: htmx from its WebJar and the console's own CSS
 * and script. Only the files named here are served; each is read once.
 */
public final class ConsoleAssets {

  /** The htmx WebJar's version (the root pom's htmx.version). */
  static final String HTMX_VERSION = "2.0.8";
  /** The uPlot WebJar's version (the root pom's uplot.version): the privacy officer's charts. */
  static final String UPLOT_VERSION = "1.6.30";

  private static final Map<String, String> FILES = Map.of(
      "htmx.min.js", "META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
      "console.css", "dk/brobygger/gateway/console/assets/console.css",
      "report.css", dk.brobygger.gateway.auditlog.DisclosureReport.STYLESHEET,
      "console.js", "dk/brobygger/gateway/console/assets/console.js",
      "log-verifier.js", "dk/brobygger/gateway/console/officer/log-verifier.js",
      "log-verification.js", "dk/brobygger/gateway/console/officer/log-verification.js",
      "officer-charts.js", "dk/brobygger/gateway/console/officer/officer-charts.js",
      "uPlot.esm.js", "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.esm.js",
      "uPlot.min.css", "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.min.css");

  private final Map<String, Buffer> loaded;

  private ConsoleAssets(Map<String, Buffer> loaded) {
    this.loaded = loaded;
  }

  /** Loads every file now: a missing one fails the start, not a page. */
  public static ConsoleAssets load() {
    java.util.HashMap<String, Buffer> loaded = new java.util.HashMap<>();
    FILES.forEach((name, resource) -> loaded.put(name, read(resource)));
    return new ConsoleAssets(Map.copyOf(loaded));
  }

  /** GET /console/assets/:file */
  public Handler<RoutingContext> handler() {
    return ctx -> {
      String name = ctx.pathParam("file");
      Optional<Buffer> file = Optional.ofNullable(name).map(loaded::get);
      if (file.isEmpty()) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("ukendt fil");
        return;
      }
      ctx.response()
          .putHeader("Content-Type", contentType(name))
          .putHeader("Cache-Control", "public, max-age=3600")
          .end(file.get());
    };
  }

  private static String contentType(String name) {
    return name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
  }

  private static Buffer read(String resource) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the console's file " + resource + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
