package dk.brobygger.gateway.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The base URL callers see, for Location headers and Bundle fullUrls: the configured public base
 * URL, or else the scheme and Host of the request itself (behind a proxy, configure it).
 */
public final class BaseUrl {

  private final Optional<String> configured;

  public BaseUrl(Optional<String> configured) {
    this.configured = configured.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  /** e.g. {@code https://127.0.0.1:8443}. */
  public String of(RoutingContext ctx) {
    return configured.orElseGet(() -> ctx.request().scheme() + "://" + ctx.request().authority());
  }

  /** e.g. {@code https://127.0.0.1:8443/fhir}. */
  public String fhirBase(RoutingContext ctx) {
    return of(ctx) + "/fhir";
  }
}
