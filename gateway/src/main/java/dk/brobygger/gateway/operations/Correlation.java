package dk.brobygger.gateway.operations;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The correlation id of a request: the caller's {@code X-Request-ID} when it is a plain token, else a
 * new one; echoed in the answer, on the access log line and, through the MDC, on every line its work
 * logs on a worker thread.
 */
public final class Correlation {

  public static final String HEADER = "X-Request-ID";
  public static final String MDC_KEY = "correlationId";
  private static final String CONTEXT_KEY = "brobygger.correlationId";
  /** Anything else (a CPR number would also match digits, so length and shape are all we can check) is replaced. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  private Correlation() {}

  /** Assigns the request its id (the access log's first step). */
  static String assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    // a 10-digit number could be a CPR number: never echo one into the logs
    String id = offered != null && PLAIN.matcher(offered).matches() && !offered.matches("\\d{6}-?\\d{4}")
        ? offered : UUID.randomUUID().toString();
    ctx.put(CONTEXT_KEY, id);
    ctx.response().putHeader(HEADER, id);
    return id;
  }

  /** The request's id, if the access log gave it one. */
  public static String of(RoutingContext ctx) {
    return ctx.get(CONTEXT_KEY);
  }

  /** Runs work (on a worker thread) with the request's correlation id in the MDC. */
  public static <T> Callable<T> within(RoutingContext ctx, Callable<T> work) {
    String id = of(ctx);
    return () -> {
      if (id == null) {
        return work.call();
      }
      MDC.put(MDC_KEY, id);
      try {
        return work.call();
      } finally {
        MDC.remove(MDC_KEY);
      }
    };
  }
}
