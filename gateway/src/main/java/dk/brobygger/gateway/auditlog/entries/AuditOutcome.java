package dk.brobygger.gateway.auditlog.entries;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an audit event's outcome was, as the log records it: the code is the {@code outcome} text of
 * the canonical entry (and its search column), so the codes never change once written.
 */
public enum AuditOutcome {
  CREATED("created", Severity.SUCCESS),
  CHANGED("changed", Severity.SUCCESS),
  WITHDRAWN("withdrawn", Severity.SUCCESS),
  READ("read", Severity.SUCCESS),
  PERMIT("permit", Severity.SUCCESS),
  DENY("deny", Severity.MINOR_FAILURE),
  /** A payload is about to be sent (recorded before the bytes leave). */
  SENDING("sending", Severity.SUCCESS),
  DELIVERED("delivered", Severity.SUCCESS),
  RETRY("retry", Severity.MINOR_FAILURE),
  FAILED("failed", Severity.SERIOUS_FAILURE),
  CANCELLED("cancelled", Severity.MINOR_FAILURE),
  REFUSED("refused", Severity.MINOR_FAILURE),
  LINKED("linked", Severity.SUCCESS),
  RECEIVED("received", Severity.SUCCESS),
  HANDLED("handled", Severity.SUCCESS),
  FENCED("fenced", Severity.SUCCESS),
  /** An operator asked for a re-run, or paused / resumed delivery to a recipient. */
  REQUESTED("requested", Severity.SUCCESS),
  PAUSED("paused", Severity.SUCCESS),
  RESUMED("resumed", Severity.SUCCESS),
  /** Acknowledgement codes (FHIR MessageHeader.response.code). */
  OK("ok", Severity.SUCCESS),
  TRANSIENT_ERROR("transient-error", Severity.MINOR_FAILURE),
  FATAL_ERROR("fatal-error", Severity.SERIOUS_FAILURE);

  /** How FHIR AuditEvent.outcome grades it: 0, 4 or 8 (no recorded outcome is a major failure, 12). */
  public enum Severity {
    SUCCESS("0"),
    MINOR_FAILURE("4"),
    SERIOUS_FAILURE("8");

    private final String fhirCode;

    Severity(String fhirCode) {
      this.fhirCode = fhirCode;
    }

    public String fhirCode() {
      return fhirCode;
    }
  }

  private final String code;
  private final Severity severity;

  AuditOutcome(String code, Severity severity) {
    this.code = code;
    this.severity = severity;
  }

  /** The recorded text, e.g. "delivered". */
  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  /** The outcome recorded as {@code code}; throws for a text no version of the gateway wrote. */
  public static AuditOutcome ofCode(String code) {
    for (AuditOutcome outcome : values()) {
      if (outcome.code.equals(code)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown audit outcome " + code);
  }

  /** The recorded texts of the outcomes of one severity. */
  public static Set<String> codes(Severity severity) {
    return Arrays.stream(values()).filter(o -> o.severity == severity).map(AuditOutcome::code)
        .collect(Collectors.toUnmodifiableSet());
  }
}
