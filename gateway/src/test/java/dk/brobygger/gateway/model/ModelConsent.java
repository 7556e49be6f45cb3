package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a consent: whose it is (one identifier token "system|value"), active or withdrawn,
 * when it was recorded (Consent.dateTime, to the second) and its base provision.
 */
public record ModelConsent(String id, long version, String citizen, boolean active, Optional<Instant> recordedAt,
    Provision root) {

  public ModelConsent {
    Objects.requireNonNull(id);
    Objects.requireNonNull(citizen);
    recordedAt = recordedAt.map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    Objects.requireNonNull(root);
  }

  /** How a decision names the consent it rests on: Consent/{id}/_history/{version}. */
  public String reference() {
    return "Consent/" + id + "/_history/" + version;
  }

}
