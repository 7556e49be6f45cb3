package dk.brobygger.delivery;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One pending delivery of one accepted message to one recipient, as claimed from the outbox.
 *
 * @param outboxId the outbox row, held under a lease by this instance until an outcome is recorded
 * @param taskId the FHIR Task that tracks this delivery
 * @param messageId MessageHeader.id, sent as the idempotency key
 * @param recipient the directory entry, with the endpoint to deliver to
 * @param citizen the citizen's identifiers, for the consent re-check
 * @param purpose purpose of use, for the consent re-check
 * @param body the accepted Bundle as canonical FHIR JSON
 * @param attempt the number this attempt will have (1 for the first)
 * @param acceptedAt when the gateway accepted the message (bounds retries by age)
 */
public record Disclosure(
    long outboxId,
    String taskId,
    String messageId,
    Recipient recipient,
    List<CitizenIdentifier> citizen,
    Code purpose,
    byte[] body,
    int attempt,
    Instant acceptedAt) {

  public Disclosure {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(recipient, "recipient");
    citizen = List.copyOf(citizen);
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
  }
}
