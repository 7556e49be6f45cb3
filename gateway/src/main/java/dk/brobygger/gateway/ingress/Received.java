package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.message.ReceivedMessage;
import java.util.Objects;

/**
 * What became of an accepted message.
 *
 * @param message the message
 * @param route where it went
 * @param taskId the delivery Task (outbound), the inbox item (inbound) or the acknowledged Task
 * @param duplicate whether the message id was seen before (nothing new was stored)
 */
public record Received(ReceivedMessage message, Route route, String taskId, boolean duplicate) {

  /** Where an accepted message goes. */
  public enum Route {
    /** Out of the outreach team's trust boundary, through the outbox, after consent. */
    OUTBOUND,
    /** Into the outreach team's inbox (or its own endpoint), no consent needed. */
    INBOX,
    /** An asynchronous acknowledgement of one of our outbound messages. */
    ACKNOWLEDGEMENT
  }

  public Received {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(taskId, "taskId");
  }
}
