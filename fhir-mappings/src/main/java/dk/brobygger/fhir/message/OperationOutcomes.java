package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The FHIR body of every refusal, failure and plain notice the gateway answers with. A refusal or
 * failure also carries its messaging response code in issue.details ({@link ResponseCode#SYSTEM}),
 * so that a messaging client sees "fatal-error" (do not resend) or "transient-error" (resend later)
 * even when it gets a plain OperationOutcome rather than a response message.
 */
public final class OperationOutcomes {

  static final String FAILED = "Processing failed; nothing was accepted";

  private OperationOutcomes() {}

  /** One error issue whose type follows from the kind of refusal; resending it cannot help: fatal-error. */
  public static OperationOutcome rejected(Rejected rejected) {
    OperationOutcome outcome = single(IssueSeverity.ERROR, issueType(rejected.kind()), rejected.diagnostics());
    return withResponseCode(outcome, ResponseCode.FATAL_ERROR);
  }

  /**
   * One fatal issue: {@code transient} (transient-error) when the caller may retry the same
   * request later, {@code exception} (fatal-error) otherwise. The message of a {@link Failed} is
   * written to be safe to show.
   */
  public static OperationOutcome failed(Failed failed) {
    String detail = failed.getMessage();
    String diagnostics = detail == null || detail.isBlank() ? FAILED : FAILED + ": " + detail;
    OperationOutcome outcome =
        single(IssueSeverity.FATAL, failed.isTransient() ? IssueType.TRANSIENT : IssueType.EXCEPTION, diagnostics);
    return withResponseCode(outcome, failed.isTransient() ? ResponseCode.TRANSIENT_ERROR : ResponseCode.FATAL_ERROR);
  }

  /** The messaging response code of an outcome made here, if it has one. */
  public static Optional<ResponseCode> responseCode(OperationOutcome outcome) {
    return outcome.getIssue().stream()
        .flatMap(issue -> issue.getDetails().getCoding().stream())
        .filter(coding -> ResponseCode.SYSTEM.equals(coding.getSystem()))
        .flatMap(coding -> ResponseCode.ofCode(coding.getCode()).stream())
        .findFirst();
  }

  /** One informational issue, e.g. "Consent withdrawn; 2 pending disclosures cancelled". */
  public static OperationOutcome information(String text) {
    return single(IssueSeverity.INFORMATION, IssueType.INFORMATIONAL, text);
  }

  /**
   * The FHIR issue type of each kind. A consent refusal is {@code suppressed}: the security code
   * FHIR defines for "not disclosed because of consent or privacy rules", which says more than
   * {@code forbidden} (that is kept for an authorisation refusal).
   */
  static IssueType issueType(Rejected.Kind kind) {
    return switch (kind) {
      case MALFORMED -> IssueType.STRUCTURE;
      case INVALID -> IssueType.INVALID;
      case UNSUPPORTED_MEDIA_TYPE, NOT_ACCEPTABLE, METHOD_NOT_ALLOWED -> IssueType.NOTSUPPORTED;
      case TOO_LARGE -> IssueType.TOOCOSTLY;
      case NOT_FOUND -> IssueType.NOTFOUND;
      case CONFLICT -> IssueType.CONFLICT;
      case PRECONDITION_FAILED -> IssueType.DUPLICATE;
      case UNAUTHENTICATED -> IssueType.LOGIN;
      case FORBIDDEN -> IssueType.FORBIDDEN;
      case CONSENT_DENIED -> IssueType.SUPPRESSED;
      case TOO_MANY_REQUESTS -> IssueType.THROTTLED;
    };
  }

  private static OperationOutcome withResponseCode(OperationOutcome outcome, ResponseCode code) {
    outcome.getIssueFirstRep().getDetails().addCoding(new Coding(ResponseCode.SYSTEM, code.code(), null));
    return outcome;
  }

  private static OperationOutcome single(IssueSeverity severity, IssueType type, String diagnostics) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(diagnostics);
    return outcome;
  }
}
