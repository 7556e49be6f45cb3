package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Rejected;
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

  /** Throws {@link Rejected} of kind INVALID naming the first few elements at fault. */
  public static void validate(Consent consent) {
    List<String> errors = CoreValidator.shared().errors(consent, List.of(MessageProfiles.CONSENT));
    if (!errors.isEmpty()) {
      throw new Rejected(Rejected.Kind.INVALID, "Consent rejected: " + String.join("; ", errors));
    }
  }
}
