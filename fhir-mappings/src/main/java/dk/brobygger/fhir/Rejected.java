package dk.brobygger.fhir;

import java.util.Objects;

/**
 * The caller's fault: the request is refused and nothing changes. The gateway turns the
 * {@link Kind} into an HTTP status and the diagnostics into an OperationOutcome, in one place.
 * Diagnostics read like "Referral rejected: MessageHeader.destination is missing" and never reveal
 * more than the caller may know.
 */
public final class Rejected extends RuntimeException {

  /** What kind of refusal; each maps to exactly one HTTP status and FHIR issue type. */
  public enum Kind {
    /** Body is not parseable as the declared format (400, structure). */
    MALFORMED,
    /** Parseable FHIR that breaks a rule of ours or of FHIR (400 or 422, invalid/required/value). */
    INVALID,
    /** Content-Type we do not take (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** Accept / _format we cannot answer in (406). */
    NOT_ACCEPTABLE,
    /** Body over the configured limit (413). */
    TOO_LARGE,
    /** Unknown resource or route (404). */
    NOT_FOUND,
    /** Method not allowed on this resource, e.g. DELETE on Consent (405). */
    METHOD_NOT_ALLOWED,
    /** Version conflict or duplicate (409). */
    CONFLICT,
    /** A condition of the request does not hold, e.g. a conditional create that matches several (412). */
    PRECONDITION_FAILED,
    /** No or bad credentials (401). */
    UNAUTHENTICATED,
    /** Authenticated but not allowed (403). */
    FORBIDDEN,
    /** No consent permits this disclosure (403). */
    CONSENT_DENIED,
    /** Too many refused requests from one source; try again later (429). */
    TOO_MANY_REQUESTS
  }

  private final Kind kind;

  public Rejected(Kind kind, String diagnostics) {
    super(Objects.requireNonNull(diagnostics, "diagnostics"), null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  public String diagnostics() {
    return getMessage();
  }
}
