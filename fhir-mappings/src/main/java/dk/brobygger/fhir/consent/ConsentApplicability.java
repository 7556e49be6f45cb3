package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;

/**
 * The consent-level checks that come before any provision: is this an active privacy consent of
 * this citizen, in force at the decision time? Also reads the id and version a decision rests on.
 */
final class ConsentApplicability {

  private ConsentApplicability() {}

  /** The consent's id and version; a consent without both cannot be a decision's basis. */
  static ConsentVersion versionOf(Consent consent) {
    String id = consent.getIdElement().getIdPart();
    if (id == null || id.isBlank()) {
      throw new EvaluationError("a consent has no id");
    }
    String version = consent.getMeta().getVersionId();
    if (version == null) {
      version = consent.getIdElement().getVersionIdPart();
    }
    if (version == null) {
      throw new EvaluationError("consent " + id + " has no version");
    }
    try {
      return new ConsentVersion(id, Long.parseLong(version));
    } catch (NumberFormatException e) {
      throw new EvaluationError("consent " + id + " has a malformed version");
    }
  }

  /**
   * Why the consent does not apply to the request (a phrase completing "consent {id} ..."), or
   * empty when it does and its provisions decide. Throws when it would apply but cannot be read.
   */
  static Optional<String> whyNotApplicable(Consent consent, String consentId, DisclosureRequest request) {
    if (consent.getStatus() != ConsentState.ACTIVE) {
      String status = consent.getStatusElement().getValueAsString();
      return Optional.of("is not active (status " + (status == null ? "missing" : status) + ")");
    }
    if (!isPrivacyConsent(consent)) {
      return Optional.of("is not a patient-privacy consent");
    }
    if (!isAbout(consent, request.citizen())) {
      return Optional.of("is about another citizen");
    }
    Instant at = request.at();
    if (FhirTime.firstInstantOf(consent.getDateTimeElement()).map(recorded -> recorded.isAfter(at)).orElse(false)) {
      return Optional.of("is dated after the time of the decision");
    }
    if (!consent.hasProvision()) {
      return Optional.of("has no provision");
    }
    if (consent.hasModifierExtension()) {
      throw new EvaluationError("consent " + consentId + " has a modifier extension");
    }
    ProvisionTree.requireReadable(consent.getProvision(), consentId);
    Period validity = consent.getProvision().getPeriod();
    if (FhirTime.startsAfter(validity, at)) {
      return Optional.of("is not valid until " + FhirTime.firstInstantOf(validity.getStartElement()).orElseThrow());
    }
    if (FhirTime.endsBefore(validity, at)) {
      return Optional.of("expired at " + FhirTime.lastInstantOf(validity.getEndElement()).orElseThrow());
    }
    return Optional.empty();
  }

  static boolean isPrivacyConsent(Consent consent) {
    return consent.getScope().getCoding().stream()
        .anyMatch(c -> ConsentRules.CONSENT_SCOPE.equals(c.getSystem()) && ConsentRules.PATIENT_PRIVACY.equals(c.getCode()));
  }

  private static boolean isAbout(Consent consent, List<CitizenIdentifier> citizen) {
    Identifier identifier = consent.getPatient().getIdentifier();
    if (!identifier.hasSystem() || !identifier.hasValue()) {
      return false;
    }
    return citizen.contains(new CitizenIdentifier(identifier.getSystem(), identifier.getValue()));
  }
}
