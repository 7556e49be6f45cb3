package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormats;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** What a FHIR request carries: its body, the resource in it, and the version it expects. */
final class RequestBodies {

  private RequestBodies() {}

  /** The body as sent (empty when there is none). */
  static byte[] bytes(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
  }

  /**
   * The resource in the body, in the format its Content-Type names.
   *
   * @param what how refusals name the request, e.g. "Consent"
   */
  static <T extends IBaseResource> T resource(RoutingContext ctx, FhirCodec codec, Class<T> type, String what) {
    String contentType = Optional.ofNullable(ctx.request().getHeader("Content-Type"))
        .orElseThrow(() -> new Rejected(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE,
            what + " rejected: Content-Type is missing; use application/fhir+json or application/fhir+xml"));
    byte[] body = bytes(ctx);
    if (body.length == 0) {
      throw new Rejected(Rejected.Kind.MALFORMED, what + " rejected: the body is empty");
    }
    return codec.parse(body, FhirFormats.ofContentType(contentType), type);
  }

  /** The version named by {@code If-Match: W/"n"}, if any. */
  static Optional<Long> ifMatch(RoutingContext ctx) {
    String ifMatch = ctx.request().getHeader("If-Match");
    if (ifMatch == null || ifMatch.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(version(ifMatch.trim().replace("W/", "").replace("\"", "")));
  }

  static long version(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new Rejected(Rejected.Kind.INVALID, "version '" + text + "' is not a version number");
    }
  }
}
