package dk.brobygger.fhir.identity;

import java.util.Objects;

/**
 * One identifier of a citizen (the FHIR Patient): a CPR number, a replacement CPR (X-eCPR), or a
 * local outreach identifier for citizens with neither.
 */
public record CitizenIdentifier(String system, String value) {

  /** The Danish CPR register. */
  public static final String CPR = "urn:oid:1.2.208.176.1.2";
  /** Replacement CPR numbers (erstatningspersonnummer, X-eCPR). */
  public static final String REPLACEMENT_CPR = "urn:oid:1.2.208.176.1.6.1.1";
  /** Local identifier issued by the outreach team for citizens with neither. */
  public static final String LOCAL_OUTREACH = "https://brobygger.dk/sid/outreach-citizen";

  public CitizenIdentifier {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(value, "value");
  }

  /** Parses the FHIR token form {@code system|value}; returns empty for anything else. */
  public static java.util.Optional<CitizenIdentifier> parseToken(String token) {
    if (token == null) {
      return java.util.Optional.empty();
    }
    int bar = token.indexOf('|');
    if (bar <= 0 || bar == token.length() - 1) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new CitizenIdentifier(token.substring(0, bar), token.substring(bar + 1)));
  }

  /** The FHIR token form, {@code system|value}. */
  public String token() {
    return system + "|" + value;
  }
}
