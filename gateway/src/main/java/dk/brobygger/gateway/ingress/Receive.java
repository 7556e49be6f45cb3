package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.FhirFormats;

/** Stage 1: the body is within the size limit and in a FHIR format we read. */
public final class Receive {

  /** A body of known format and acceptable size. */
  public record ReceivedBody(IncomingMessage request, FhirFormat format) {}

  private final long maxBodyBytes;

  public Receive(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public ReceivedBody apply(IncomingMessage request) {
    if (request.body().length > maxBodyBytes) {
      throw new Rejected(Rejected.Kind.TOO_LARGE,
          "Message rejected: the body is larger than the limit of " + maxBodyBytes + " bytes");
    }
    String contentType = request.contentType().orElseThrow(() -> new Rejected(
        Rejected.Kind.UNSUPPORTED_MEDIA_TYPE,
        "Message rejected: Content-Type is missing; use application/fhir+json or application/fhir+xml"));
    FhirFormat format = FhirFormats.ofContentType(contentType);
    if (request.body().length == 0) {
      throw new Rejected(Rejected.Kind.MALFORMED, "Message rejected: the body is empty");
    }
    return new ReceivedBody(request, format);
  }
}
