package dk.brobygger.gateway.inbox;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inbound message in a team's inbox, served as a FHIR Task owned by the team.
 *
 * @param id Task id (a UUID, never the id of a delivery Task)
 * @param messageId MessageHeader.id of the inbound message
 * @param event the message event code, e.g. "referral" or "appointment-response"
 * @param ownerId directory id of the team whose inbox it is (Task.owner)
 * @param senderToken the sender's organisation identifier as {@code system|value}, when given
 * @param answersMessageId MessageHeader.id of our message this one answers, if it answers one
 * @param state new or handled
 * @param receivedAt when the message was received
 * @param handledAt when it was marked as handled
 * @param handledBy who marked it as handled
 * @param version +1 on every change (meta.versionId, ETag)
 * @param citizen the identifiers of the citizen the message is about, as the message gave them
 */
public record InboxItem(
    String id,
    String messageId,
    String event,
    String ownerId,
    Optional<String> senderToken,
    Optional<String> answersMessageId,
    InboxState state,
    Instant receivedAt,
    Optional<Instant> handledAt,
    Optional<String> handledBy,
    long version,
    List<CitizenIdentifier> citizen) {

  public InboxItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(senderToken, "senderToken");
    Objects.requireNonNull(answersMessageId, "answersMessageId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(handledAt, "handledAt");
    Objects.requireNonNull(handledBy, "handledBy");
    citizen = List.copyOf(citizen);
  }
}
