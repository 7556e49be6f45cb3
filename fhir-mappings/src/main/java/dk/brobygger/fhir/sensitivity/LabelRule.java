package dk.brobygger.fhir.sensitivity;

import dk.brobygger.fhir.Code;
import java.util.Objects;
import java.util.Set;

/**
 * One row of the table: codes of {@code system} within {@code range} carry {@code labels}.
 *
 * @param about what the codes are, for people reading the table and the audit trail
 */
record LabelRule(String system, CodeRange range, Set<Code> labels, String about) {

  LabelRule {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(range, "range");
    labels = Set.copyOf(labels);
    Objects.requireNonNull(about, "about");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a rule must give at least one label");
    }
  }

  boolean matches(Code code) {
    return system.equals(code.system()) && range.contains(code.code());
  }
}
