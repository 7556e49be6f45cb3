package dk.brobygger.gateway.delivery;

import dk.brobygger.delivery.Disclosure;
import dk.brobygger.delivery.Minimisation;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.Minimiser;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Removes what the re-check decision excludes before sealing. When nothing is excluded the accepted
 * bytes go out unchanged, so the recipient gets exactly what was accepted.
 */
public final class BundleMinimisation implements Minimisation {

  private final FhirCodec codec;

  public BundleMinimisation(FhirCodec codec) {
    this.codec = codec;
  }

  @Override
  public byte[] apply(Disclosure disclosure, Decision permit) {
    if (permit.excludedReferences().isEmpty()) {
      return disclosure.body();
    }
    Bundle message = codec.parse(disclosure.body(), FhirFormat.JSON, Bundle.class);
    return codec.canonicalJson(Minimiser.minimise(message, permit));
  }
}
