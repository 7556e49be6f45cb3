package dk.brobygger.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the API's HTTP server. The gateway deploys one per core on the same port; Vert.x
 * hands each new connection to one of them in turn, so TLS handshakes, certificate checks and
 * request parsing run on every event loop instead of one. All instances share the router and the
 * {@link ConnectionGuard} (per-address limits hold across instances).
 */
public final class ApiVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final ConnectionGuard connections;
  private final Router router;
  private final int port;
  private volatile HttpServer server;

  public ApiVerticle(HttpServerOptions options, ConnectionGuard connections, Router router, int port) {
    this.options = new HttpServerOptions(Objects.requireNonNull(options, "options"));
    this.connections = Objects.requireNonNull(connections, "connections");
    this.router = Objects.requireNonNull(router, "router");
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = connections.guard(vertx.createHttpServer(options), router);
    return server.listen(port);
  }

  /** The port this instance listens on (the configured one, or the one port 0 was given). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Refuses new connections and lets the requests under way finish, for at most {@code drain}. */
  public Future<Void> shutdown(Duration drain) {
    return server.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS);
  }
}
