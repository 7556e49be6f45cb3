package dk.brobygger.gateway.search;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;

/**
 * What to do with a search parameter the server does not support (FHIR's {@code Prefer: handling=}
 * preference). The gateway is strict unless the caller asks for lenient: a misspelt filter that
 * were silently dropped would widen the search the caller meant, and fail open.
 */
public enum Handling {
  /** An unsupported parameter is refused with 400. */
  STRICT,
  /** An unsupported parameter is ignored and left out of the self link. */
  LENIENT;

  /** The handling the request's {@code Prefer} header asks for. */
  public static Handling of(RoutingContext ctx) {
    return of(Optional.ofNullable(ctx.request().getHeader("Prefer")));
  }

  /** The handling a {@code Prefer} header asks for, strict when it says nothing about handling. */
  public static Handling of(Optional<String> prefer) {
    if (prefer.isEmpty()) {
      return STRICT;
    }
    for (String preference : prefer.get().split("[,;]")) {
      String p = preference.trim().toLowerCase(Locale.ROOT).replace(" ", "");
      if (p.equals("handling=lenient") || p.equals("handling=\"lenient\"")) {
        return LENIENT;
      }
    }
    return STRICT;
  }
}
