package dk.brobygger.gateway.outbox;

import java.util.Arrays;

/** Where the delivery of one message to one recipient stands, as FHIR Task.status. */
public enum TaskState {
  /** Accepted, waiting in the outbox. */
  REQUESTED("requested"),
  /** Being delivered, or waiting for a retry. */
  IN_PROGRESS("in-progress"),
  /** The recipient confirmed receipt. */
  COMPLETED("completed"),
  /**
   * Delivery gave up: refused by the recipient, retries exhausted or recipient gone; or stopped (by
   * consent, or out of retries) after an attempt that got no answer, so the recipient may have the
   * message (the reason names that attempt and its payload's sha256).
   */
  FAILED("failed"),
  /** Consent no longer permitted the delivery; nothing was sent, or every attempt sent was answered and refused. */
  CANCELLED("cancelled");

  private final String fhirCode;

  TaskState(String fhirCode) {
    this.fhirCode = fhirCode;
  }

  /** The FHIR Task.status code. */
  public String fhirCode() {
    return fhirCode;
  }

  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public static TaskState fromFhirCode(String code) {
    return Arrays.stream(values())
        .filter(s -> s.fhirCode.equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a Task.status we use: " + code));
  }
}
