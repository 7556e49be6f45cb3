package dk.brobygger.fhir.sensitivity;

import dk.brobygger.fhir.Code;
import java.util.Optional;

/**
 * The HL7 v3 Confidentiality codes in the order HCS gives them: each level protects more than the
 * one before. A resource has one confidentiality level; sensitive content can only raise it.
 */
enum Confidentiality {
  U,
  L,
  M,
  N,
  R,
  V;

  Code code() {
    return new Code(Code.CONFIDENTIALITY, name());
  }

  /** The level a label stands for, empty when the label is not a confidentiality code. */
  static Optional<Confidentiality> of(Code label) {
    if (!Code.CONFIDENTIALITY.equals(label.system())) {
      return Optional.empty();
    }
    for (Confidentiality level : values()) {
      if (level.name().equals(label.code())) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  boolean isAbove(Confidentiality other) {
    return compareTo(other) > 0;
  }
}
