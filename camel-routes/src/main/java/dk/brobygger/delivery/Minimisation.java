package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;

/**
 * Removes from a disclosure what the consent decision excludes. The gateway plugs in the HAPI-based
 * implementation from fhir-mappings. It consumes the decision taken right before the attempt and
 * never decides itself.
 */
@FunctionalInterface
public interface Minimisation {

  /**
   * @param disclosure the claimed disclosure, whose body is the accepted Bundle as FHIR JSON
   * @param permit the re-check's decision; always a permit here (a deny cancels before this stage)
   * @return the bytes to seal and send; never the caller's array mutated in place
   */
  byte[] apply(Disclosure disclosure, Decision permit);
}
