package dk.brobygger.gateway.auditlog.entries;

/** What an audit entry records. */
public enum AuditAction {
  CONSENT_CREATED,
  CONSENT_CHANGED,
  CONSENT_WITHDRAWN,
  /** A consent decision on an incoming message: permit (accepted) or deny (refused). */
  CONSENT_DECISION,
  /** One delivery round of one disclosure: delivered, retry, failed or cancelled. */
  DISCLOSURE_ATTEMPT,
  /** A request refused before any consent decision (authentication, validation, ...). */
  REQUEST_REFUSED,
  CONSENT_READ,
  AUDIT_READ,
  /** Identifiers recorded as naming one citizen (outcome linked). */
  CITIZEN_LINKED,
  /** An inbound message put in a team's inbox (outcome received). */
  MESSAGE_RECEIVED,
  /** An inbox item marked as handled (outcome handled). */
  INBOX_HANDLED,
  /** A recipient's asynchronous acknowledgement of a delivered message (outcome: its code). */
  ACKNOWLEDGEMENT_RECEIVED,
  /**
   * The deliveries that were in flight when a consent was withdrawn, with their outcomes, once all
   * had ended (outcome fenced): the withdrawal was answered only after this.
   */
  WITHDRAWAL_FENCED,
  /**
   * An operator asked to run a failed or cancelled delivery again (outcome requested, or refused
   * when consent no longer permits it), with who asked and the consent the check rested on.
   */
  DELIVERY_RERUN,
  /** Delivery to one recipient paused or resumed by an operator (outcome paused or resumed). */
  DELIVERY_PAUSE
}
