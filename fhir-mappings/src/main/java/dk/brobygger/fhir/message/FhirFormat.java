package dk.brobygger.fhir.message;

/** The two FHIR encodings the gateway speaks. */
public enum FhirFormat {
  JSON("application/fhir+json"),
  XML("application/fhir+xml");

  private final String mimeType;

  FhirFormat(String mimeType) {
    this.mimeType = mimeType;
  }

  /** The canonical FHIR media type, e.g. {@code application/fhir+json}. */
  public String mimeType() {
    return mimeType;
  }
}
