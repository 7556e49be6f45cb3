package dk.brobygger.fhir.consent;

import java.util.Objects;

/** One applicable consent's ruling on one item. */
record Finding(ApplicableConsent consent, Ruling ruling) {

  Finding {
    Objects.requireNonNull(consent, "consent");
    Objects.requireNonNull(ruling, "ruling");
  }
}
