package dk.brobygger.gateway.search;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.inbox.InboxState;
import dk.brobygger.gateway.outbox.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A search of Tasks, delivery Tasks and inbox items together; every part given must hold.
 *
 * @param citizen Tasks of messages about any of these identifiers (one citizen); an empty list
 *     matches nothing; empty = any citizen
 * @param owner the recipient of a delivery Task or the team whose inbox holds an item
 * @param deliveryStates delivery Tasks in one of these states; empty = any
 * @param inboxStates inbox items in one of these states; empty = any
 * @param kinds which kinds of Task can match (delivery, inbox); empty = none
 * @param events message event codes (referral, ...); empty = any
 * @param authoredFrom accepted or received at or after
 * @param authoredUntil accepted or received before
 * @param updatedFrom last changed at or after
 * @param updatedUntil last changed before
 * @param messageId the message's MessageHeader.id
 */
public record TaskQuery(
    Optional<List<CitizenIdentifier>> citizen,
    Optional<String> owner,
    Set<TaskState> deliveryStates,
    Set<InboxState> inboxStates,
    Set<Kind> kinds,
    Set<String> events,
    Optional<Instant> authoredFrom,
    Optional<Instant> authoredUntil,
    Optional<Instant> updatedFrom,
    Optional<Instant> updatedUntil,
    Optional<String> messageId) {

  /** The two kinds of Task under {@code /fhir/Task}. */
  public enum Kind { DELIVERY, INBOX }

  public TaskQuery {
    citizen = Objects.requireNonNull(citizen, "citizen").map(List::copyOf);
    Objects.requireNonNull(owner, "owner");
    deliveryStates = Set.copyOf(deliveryStates);
    inboxStates = Set.copyOf(inboxStates);
    kinds = Set.copyOf(kinds);
    events = Set.copyOf(events);
    Objects.requireNonNull(authoredFrom, "authoredFrom");
    Objects.requireNonNull(authoredUntil, "authoredUntil");
    Objects.requireNonNull(updatedFrom, "updatedFrom");
    Objects.requireNonNull(updatedUntil, "updatedUntil");
    Objects.requireNonNull(messageId, "messageId");
  }

  /** Whether Tasks of this kind can match. */
  public boolean includes(Kind kind) {
    return kinds.contains(kind) && !citizen.map(List::isEmpty).orElse(false);
  }
}
