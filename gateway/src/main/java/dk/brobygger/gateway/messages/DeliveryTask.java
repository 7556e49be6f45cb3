package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.fhir.consent.ConsentVersion;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The FHIR Task that tracks the delivery of one accepted message to one recipient.
 *
 * @param id Task id
 * @param messageId MessageHeader.id of the message
 * @param recipientId directory id of the recipient
 * @param state Task.status
 * @param reason why it is in this state (Task.statusReason), once anything happened
 * @param attempts delivery attempts made so far (rounds stopped by consent or by our own storage
 *     before anything was sent do not count)
 * @param createdAt when the message was accepted
 * @param lastModified when the Task last changed
 * @param basis the consent version the latest decision rested on
 * @param version +1 on every change (meta.versionId, ETag)
 * @param businessStatus what the recipient last told us beyond receipt (Task.businessStatus), e.g.
 *     "answered: booked", "acknowledged"
 * @param answerMessageIds MessageHeader.id of each answer to the message, oldest first
 */
public record DeliveryTask(
    String id,
    String messageId,
    String recipientId,
    TaskState state,
    Optional<String> reason,
    int attempts,
    Instant createdAt,
    Instant lastModified,
    Optional<ConsentVersion> basis,
    long version,
    Optional<String> businessStatus,
    List<String> answerMessageIds) {

  public DeliveryTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(recipientId, "recipientId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(businessStatus, "businessStatus");
    answerMessageIds = List.copyOf(answerMessageIds);
  }
}
