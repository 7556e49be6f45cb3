package dk.brobygger.fhir.consent;

import java.util.Objects;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;

/**
 * What one consent says about one data item.
 *
 * @param effect permit or deny
 * @param decidedBy the innermost matching provision whose type prevailed; for a deny, its class,
 *     security label and code criteria name what was excluded
 */
record Ruling(Effect effect, ProvisionComponent decidedBy) {

  Ruling {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(decidedBy, "decidedBy");
  }
}
