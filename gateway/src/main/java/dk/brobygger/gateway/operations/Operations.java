package dk.brobygger.gateway.operations;

import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.config.Options;
import dk.brobygger.gateway.db.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's endpoints. The probes {@code /health/live} and {@code /health/ready} answer on the
 * API port (where load balancers look) and on the operations listener; {@code /metrics} only on the
 * operations listener ({@code metrics.host}:{@code metrics.port}, plain HTTP, loopback by default),
 * because Prometheus cannot fetch SMART tokens and the series name recipients and volumes.
 */
public final class Operations implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private final Health health;
  private final HttpServer listener;

  private Operations(Health health, HttpServer listener) {
    this.health = health;
    this.listener = listener;
  }

  /** @param databaseWork the gateway's executor for database work: probes and scrapes read the database */
  public static Operations start(OperationsMetrics metrics, Vertx vertx, WorkerExecutor databaseWork, Router apiRouter,
      GatewayConfig config, Database database, BooleanSupplier deliveryStarted, BooleanSupplier validatorReady,
      Clock clock) {
    Health health = new Health(database, deliveryStarted, validatorReady, config.auditCheckpointInterval(),
        config.dataDirectory(), clock, metrics.witnessLag());
    StoredMetrics stored = new StoredMetrics(database, metrics.registry(), clock);
    AccessLog.install(apiRouter);
    installProbes(apiRouter, databaseWork, health);
    HttpServer listener = null;
    OptionalInt port = config.operations().port();
    if (port.isPresent()) {
      Router router = Router.router(vertx);
      installProbes(router, databaseWork, health);
      router.get("/metrics").handler(ctx -> databaseWork.executeBlocking(() -> {
        stored.refresh();
        return metrics.scrape();
      }, false).onComplete(done -> {
        if (done.succeeded()) {
          ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(done.result());
        } else {
          LOG.warn("metrics scrape failed: {}", done.cause().toString());
          ctx.response().setStatusCode(503).end();
        }
      }));
      String host = config.operations().host();
      try {
        listener = await(vertx.createHttpServer(new HttpServerOptions().setHost(host)).requestHandler(router)
            .listen(port.getAsInt()));
      } catch (RuntimeException e) {
        throw new ConfigurationError("option " + Options.METRICS_PORT.key() + " (" + Options.METRICS_PORT.environmentName()
            + ") is '" + port.getAsInt() + "': cannot listen on " + host + ":" + port.getAsInt() + ": " + e.getMessage(), e);
      }
      LOG.info("operations listener on http://{}:{} (/metrics, /health/live, /health/ready)", host, listener.actualPort());
    }
    return new Operations(health, listener);
  }

  private static void installProbes(Router router, WorkerExecutor databaseWork, Health health) {
    router.get("/health/live").handler(ctx -> answer(ctx, health.live()));
    router.get("/health/ready").handler(ctx -> databaseWork.executeBlocking(health::ready, false)
        .onComplete(done -> answer(ctx, done.succeeded() ? done.result() : new Health.Report(false, "{\"status\":\"DOWN\"}"))));
  }

  private static void answer(RoutingContext ctx, Health.Report report) {
    ctx.response().setStatusCode(report.httpStatus()).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(report.json());
  }

  public Health health() {
    return health;
  }

  /** The operations listener's port, if it listens. */
  public OptionalInt port() {
    return listener == null ? OptionalInt.empty() : OptionalInt.of(listener.actualPort());
  }

  @Override
  public void close() {
    if (listener != null) {
      await(listener.close());
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause.getMessage(), cause);
    }
  }
}
