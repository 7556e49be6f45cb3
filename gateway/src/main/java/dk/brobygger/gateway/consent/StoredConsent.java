package dk.brobygger.gateway.consent;

import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a consent as stored.
 *
 * @param id the Consent id
 * @param version 1 for the first, +1 for each update
 * @param recordedAt when this version was stored (meta.lastUpdated)
 * @param recordedBy who stored it
 * @param citizen Consent.patient.identifier
 * @param status Consent.status of this version (active, inactive, ...)
 * @param json the Consent as FHIR JSON, with id, meta.versionId and meta.lastUpdated set
 */
public record StoredConsent(
    String id, long version, Instant recordedAt, String recordedBy, CitizenIdentifier citizen, String status, byte[] json) {

  public StoredConsent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(recordedBy, "recordedBy");
    Objects.requireNonNull(citizen, "citizen");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(json, "json");
  }

  public ConsentVersion consentVersion() {
    return new ConsentVersion(id, version);
  }
}
