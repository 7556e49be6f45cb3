package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifiers;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The rules a Consent must meet before the gateway stores it. Each refusal names the one element
 * at fault, as "Consent rejected: ...".
 */
public final class ConsentRules {

  /** Consent.scope system. */
  public static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
  /** The only scope the gateway decides on: privacy consent. */
  public static final String PATIENT_PRIVACY = "patient-privacy";


  private ConsentRules() {}

  /** Throws {@link Rejected} of kind INVALID when the consent breaks a rule. */
  public static void validate(Consent consent) {
    requireKnownStatus(consent);
    if (!ConsentApplicability.isPrivacyConsent(consent)) {
      throw rejected("Consent.scope must be " + CONSENT_SCOPE + "|" + PATIENT_PRIVACY);
    }
    if (!consent.hasCategory()) {
      throw rejected("Consent.category is missing (at least one is required)");
    }
    citizenOf(consent);
    if (consent.hasModifierExtension()) {
      throw rejected("Consent.modifierExtension is not supported");
    }
    if (!consent.hasProvision()) {
      throw rejected("Consent.provision is missing");
    }
    requireWellFormed(consent.getProvision(), "Consent.provision", 1);
  }

  /** The citizen a consent is about, from Consent.patient.identifier; throws like {@link #validate}. */
  public static CitizenIdentifier citizenOf(Consent consent) {
    if (!consent.hasPatient()) {
      throw rejected("Consent.patient is missing");
    }
    Identifier identifier = consent.getPatient().getIdentifier();
    if (!identifier.hasSystem() || !identifier.hasValue()) {
      throw rejected("Consent.patient.identifier needs both a system and a value");
    }
    CitizenIdentifier citizen = new CitizenIdentifier(identifier.getSystem(), identifier.getValue());
    try {
      // the very rules a message's Patient.identifier meets: a consent under an identifier no
      // message can carry would never apply, while the nurse believes it recorded
      CitizenIdentifiers.validate(citizen);
    } catch (Rejected malformed) {
      throw rejected("Consent.patient.identifier: " + malformed.diagnostics());
    }
    return citizen;
  }

  private static void requireKnownStatus(Consent consent) {
    String status = consent.getStatusElement().getValueAsString();
    if (status == null || status.isBlank()) {
      throw rejected("Consent.status is missing");
    }
    ConsentState state = consent.getStatus();
    if (state == null || state == ConsentState.NULL) {
      throw rejected("Consent.status '" + status + "' is not a known consent state");
    }
  }

  private static void requireWellFormed(ProvisionComponent provision, String path, int depth) {
    if (depth > ProvisionTree.MAX_DEPTH) {
      throw rejected(path + " nests provisions deeper than " + ProvisionTree.MAX_DEPTH + " levels");
    }
    String type = provision.getTypeElement().getValueAsString();
    if (type == null || type.isBlank()) {
      throw rejected(path + ".type is missing (permit or deny)");
    }
    if (provision.getType() != ConsentProvisionType.PERMIT && provision.getType() != ConsentProvisionType.DENY) {
      throw rejected(path + ".type '" + type + "' is neither permit nor deny");
    }
    if (provision.hasModifierExtension()) {
      throw rejected(path + ".modifierExtension is not supported");
    }
    List<ProvisionComponent> nested = provision.getProvision();
    for (int i = 0; i < nested.size(); i++) {
      requireWellFormed(nested.get(i), path + ".provision[" + i + "]", depth + 1);
    }
  }

  private static Rejected rejected(String problem) {
    return new Rejected(Rejected.Kind.INVALID, "Consent rejected: " + problem);
  }
}
