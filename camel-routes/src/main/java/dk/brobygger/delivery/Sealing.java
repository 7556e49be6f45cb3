package dk.brobygger.delivery;

import dk.brobygger.fhir.message.FhirFormat;

/**
 * Turns the minimised payload into what goes on the wire. Signing and encryption for the recipient
 * (JWS + JWE) plug in here; until then deliveries travel as plain FHIR JSON over the transport.
 */
@FunctionalInterface
public interface Sealing {

  SealedPayload seal(Disclosure disclosure, byte[] payload);

  /** No signature, no encryption: the payload as {@code application/fhir+json}. */
  static Sealing unsealedFhirJson() {
    return (disclosure, payload) -> new SealedPayload(payload, FhirFormat.JSON.mimeType());
  }
}
