package dk.brobygger.fhir.consent;

import java.util.Objects;

/** The exact consent version a decision rests on: Consent/{consentId}/_history/{version}. */
public record ConsentVersion(String consentId, long version) {

  public ConsentVersion {
    Objects.requireNonNull(consentId, "consentId");
  }

  public String reference() {
    return "Consent/" + consentId + "/_history/" + version;
  }
}
