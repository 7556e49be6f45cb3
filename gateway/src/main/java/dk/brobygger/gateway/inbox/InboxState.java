package dk.brobygger.gateway.inbox;

/** Where an inbox item stands. Shown as FHIR Task.status: NEW as requested, HANDLED as completed. */
public enum InboxState {
  /** Received, not yet looked after by the team. */
  NEW,
  /** A team member marked it as handled. */
  HANDLED
}
