package dk.brobygger.fhir.directory;

import java.util.Objects;

/** One identifier of an organisation: a SOR code, a GLN (EAN location number) or a local id. */
public record OrganisationIdentifier(String system, String value) {

  /** Sundhedsvæsenets Organisationsregister (SOR). */
  public static final String SOR = "urn:oid:1.2.208.176.1.1";
  /** GS1 Global Location Number (EAN location number), used for MedCom addressing. */
  public static final String GLN = "https://www.gs1.org/gln";
  /** Our own directory ids, for parties with neither. */
  public static final String LOCAL = "https://brobygger.dk/sid/directory";

  public OrganisationIdentifier {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(value, "value");
  }

  public String token() {
    return system + "|" + value;
  }
}
