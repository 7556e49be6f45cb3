package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the audit log: who did what, about whom, with which result.
 *
 * @param action what happened
 * @param at when it happened
 * @param actor the calling system or user id, or "gateway" for delivery
 * @param outcome e.g. permit, deny, created, changed, withdrawn, delivered, retry, failed,
 *     cancelled, refused
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
    String outcome,
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
