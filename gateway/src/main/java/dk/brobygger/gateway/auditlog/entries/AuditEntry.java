package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields every audit entry has, whatever its {@link AuditEvent}: the envelope of its canonical
 * JSON (in this order) and the columns the log is searched by. Built only from an event
 * ({@link AuditEvent#entry()}); the log is appended to with events.
 *
 * @param action what happened
 * @param at when it happened
 * @param actor the calling system or user id, or "gateway" for delivery
 * @param outcome what came of it
 * @param citizen the citizen the entry is about, when it is about one
 * @param messageId MessageHeader.id of the message concerned
 * @param recipientId directory id of the recipient concerned
 * @param consent the consent version concerned (created, changed, or the basis of a decision)
 * @param attempt the delivery attempt number, for attempts that were made
 * @param sentSha256 hex SHA-256 of the exact bytes sent
 * @param reasons human-readable reasons, in order
 */
public record AuditEntry(
    AuditAction action,
    Instant at,
    String actor,
    AuditOutcome outcome,
    Optional<CitizenIdentifier> citizen,
    Optional<String> messageId,
    Optional<String> recipientId,
    Optional<ConsentVersion> consent,
    Optional<Integer> attempt,
    Optional<String> sentSha256,
    List<String> reasons) {

  public AuditEntry {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(citizen, "citizen");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(recipientId, "recipientId");
    Objects.requireNonNull(consent, "consent");
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(sentSha256, "sentSha256");
    reasons = List.copyOf(reasons);
  }
}
