package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.ConsentRules;
import java.util.List;
import org.hl7.fhir.r4.model.Consent;

/**
 * A Consent checked against FHIR R4 and the published {@link MessageProfiles#CONSENT} profile, by
 * the same cached validator that checks messages against theirs, so the rules a vendor reads in the
 * profile are the rules the registry applies. The rules the profile cannot state stay in Java
 * ({@code ConsentRules}), which runs first and names its element more plainly.
 */
public final class ConsentProfile {

  private ConsentProfile() {}

  /**
   * Every check a Consent must pass before it is recorded, by the API or the console: the Java rules
   * first (they name the element more plainly), then FHIR R4 and the profile.
   */
  public static void validateForRecording(Consent consent) {
    ConsentRules.validate(consent);
    validate(consent);
  }

  /** Throws {@link Rejected} of kind INVALID naming the first few elements at fault. */
  public static void validate(Consent consent) {
    List<String> errors = CoreValidator.shared().errors(consent, List.of(MessageProfiles.CONSENT));
    if (!errors.isEmpty()) {
      throw new Rejected(Rejected.Kind.INVALID, "Consent rejected: " + String.join("; ", errors));
    }
  }
}
