package dk.brobygger.fhir.consent;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;

/**
 * A consent that passed the consent-level checks (active, privacy scope, this citizen, in force at
 * the decision time): its provisions now decide item by item.
 *
 * @param version the consent id and version a decision on it rests on
 * @param recordedAt Consent.dateTime, used to find the newest consent
 * @param provision the base provision
 */
record ApplicableConsent(ConsentVersion version, Optional<Instant> recordedAt, ProvisionComponent provision) {

  /** Newest first: latest Consent.dateTime (undated counts as oldest), then highest version, then id. */
  static final Comparator<ApplicableConsent> NEWEST_FIRST =
      Comparator.comparing((ApplicableConsent c) -> c.recordedAt().orElse(Instant.MIN))
          .thenComparingLong(c -> c.version().version())
          .thenComparing(c -> c.version().consentId())
          .reversed();

  ApplicableConsent {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(provision, "provision");
  }

  String id() {
    return version.consentId();
  }
}
