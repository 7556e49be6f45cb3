package dk.brobygger.fhir.sensitivity;

import java.util.Locale;
import java.util.Objects;

/**
 * Codes of one system whose first characters lie between two bounds of equal length, both
 * inclusive: F10..F19 holds F10, F10.2 and F19.9 but not F1 or F20. A prefix is a range whose
 * bounds are equal (N07BC holds N07BC02). Codes are compared without dots and in upper case, so
 * ICD-10 "F10.2" and "F102" are the same code, and so are SKS "DF10.2" and "DF102".
 */
record CodeRange(String from, String to) {

  CodeRange {
    from = normalise(Objects.requireNonNull(from, "from"));
    to = normalise(Objects.requireNonNull(to, "to"));
    if (from.isEmpty()) {
      throw new IllegalArgumentException("a range bound must not be empty");
    }
    if (from.length() != to.length()) {
      throw new IllegalArgumentException("'" + from + "' and '" + to + "' must have the same length");
    }
    if (from.compareTo(to) > 0) {
      throw new IllegalArgumentException("'" + from + "' comes after '" + to + "'");
    }
  }

  static CodeRange prefix(String prefix) {
    return new CodeRange(prefix, prefix);
  }

  boolean contains(String code) {
    String normalised = normalise(code);
    if (normalised.length() < from.length()) {
      return false;
    }
    String head = normalised.substring(0, from.length());
    return head.compareTo(from) >= 0 && head.compareTo(to) <= 0;
  }

  static String normalise(String code) {
    return code.strip().replace(".", "").toUpperCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return from.equals(to) ? from + "*" : from + ".." + to;
  }
}
