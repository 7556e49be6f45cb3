package dk.brobygger.gateway.api;

import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A successful FHIR answer before encoding: status, resource and the headers FHIR gives meaning to.
 *
 * @param status HTTP status (200, 201, 202)
 * @param resource the body
 * @param location Location header (relative to the FHIR base, e.g. "Task/abc")
 * @param versionId for the ETag header (W/"versionId")
 */
public record FhirReply(int status, IBaseResource resource, Optional<String> location, Optional<String> versionId) {

  public FhirReply {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(versionId, "versionId");
  }

  public static FhirReply ok(IBaseResource resource) {
    return new FhirReply(200, resource, Optional.empty(), Optional.empty());
  }
}
