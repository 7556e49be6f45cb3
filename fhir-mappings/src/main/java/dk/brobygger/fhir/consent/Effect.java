package dk.brobygger.fhir.consent;

import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;

/** What a provision does when its criteria match. */
enum Effect {
  PERMIT,
  DENY;

  static Effect of(ProvisionComponent provision, String consentId) {
    ConsentProvisionType type = provision.getType();
    if (type == ConsentProvisionType.PERMIT) {
      return PERMIT;
    }
    if (type == ConsentProvisionType.DENY) {
      return DENY;
    }
    throw new EvaluationError("consent " + consentId + " has a provision without a permit or deny type");
  }
}
