package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable outcome of deciding consent. Minimisation consumes it and never decides.
 *
 * @param verdict permit or deny
 * @param basis the consent version it rests on (empty when no consent applied: default deny)
 * @param reasons human-readable reasons, in evaluation order, for the audit log and refusals
 * @param excludedReferences references of items that must not be disclosed (only on permit)
 * @param excludedClasses the data classes (resource types / security labels / codes) a deny
 *     provision excluded: on permit those withheld from the disclosure, on deny those that blocked
 *     the focus
 */
public record Decision(
    Verdict verdict,
    Optional<ConsentVersion> basis,
    List<String> reasons,
    Set<String> excludedReferences,
    Set<Code> excludedClasses) {

  public enum Verdict {
    PERMIT,
    DENY
  }

  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(basis, "basis");
    reasons = List.copyOf(reasons);
    excludedReferences = Set.copyOf(excludedReferences);
    excludedClasses = Set.copyOf(excludedClasses);
    if (verdict == Verdict.DENY && !excludedReferences.isEmpty()) {
      throw new IllegalArgumentException("a deny excludes everything; excluded references belong to a permit");
    }
  }

  public static Decision deny(Optional<ConsentVersion> basis, List<String> reasons) {
    return new Decision(Verdict.DENY, basis, reasons, Set.of(), Set.of());
  }

  public boolean permits() {
    return verdict == Verdict.PERMIT;
  }
}
