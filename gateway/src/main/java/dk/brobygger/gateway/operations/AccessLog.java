package dk.brobygger.gateway.operations;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per answered request on the logger {@code brobygger.access}: method, path (never the
 * query, which may carry a citizen identifier), status, duration, bytes sent, client address and the
 * correlation id. Installed first, before any other route.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger ACCESS = LoggerFactory.getLogger("brobygger.access");

  private AccessLog() {}

  public static void install(Router router) {
    router.route().order(Integer.MIN_VALUE).handler(new AccessLog());
  }

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    String id = Correlation.assign(ctx);
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    String client = ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress();
    ctx.addEndHandler(done -> {
      MDC.put(Correlation.MDC_KEY, id);
      try {
        ACCESS.info("{} {} {} {} ms {} bytes from {}", method, path, ctx.response().getStatusCode(),
            (System.nanoTime() - started) / 1_000_000, ctx.response().bytesWritten(), client);
      } finally {
        MDC.remove(Correlation.MDC_KEY);
      }
    });
    ctx.next();
  }
}
