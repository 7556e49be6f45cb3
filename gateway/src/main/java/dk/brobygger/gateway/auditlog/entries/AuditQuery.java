package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the privacy officer searches the audit log for; every part is optional and the parts that
 * are given must all hold.
 *
 * @param citizen entries about the citizen with this identifier: entries naming it, entries about
 *     messages that list it among the citizen's identifiers, and entries naming another identifier
 *     that such a message lists for the same citizen
 * @param from entries recorded at or after this instant
 * @param until entries recorded before this instant
 * @param agent the actor: the exact recorded actor ("id@address") or its id part
 * @param entity a message id or a consent id
 * @param outcomes recorded outcomes (permit, deny, delivered, ...); empty for any
 * @param actions recorded actions; empty for any
 */
public record AuditQuery(
    Optional<CitizenIdentifier> citizen,
    Optional<Instant> from,
    Optional<Instant> until,
    Optional<String> agent,
    Optional<String> entity,
    Set<String> outcomes,
    Set<AuditAction> actions) {

  public AuditQuery {
    Objects.requireNonNull(citizen, "citizen");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(entity, "entity");
    outcomes = Set.copyOf(outcomes);
    actions = Set.copyOf(actions);
  }

  /** Every entry. */
  public static AuditQuery all() {
    return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Set.of(), Set.of());
  }

  /** Every entry about one citizen, known by any of the citizen's identifiers. */
  public static AuditQuery aboutCitizen(CitizenIdentifier citizen) {
    return new AuditQuery(Optional.of(citizen), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Set.of(), Set.of());
  }
}
