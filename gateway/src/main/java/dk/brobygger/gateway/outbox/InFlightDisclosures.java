package dk.brobygger.gateway.outbox;

import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.delivery.AttemptId;
import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.delivery.DisclosureFence;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.sql.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The withdrawal fence in the database (table disclosure_in_flight), so that it holds for every
 * gateway instance sharing it. An attempt commits its rows, one per identifier of its citizen,
 * before its consent re-check; records, with an audit entry committed before the POST, what it is
 * about to send; and marks its rows ended once its outcome is recorded.
 *
 * <p>A withdrawal, after it committed, asks every row of its citizen that started before that and
 * has not ended to abort (abort_reason), then waits for them: an attempt that read the consents
 * before the commit registered before reading them, so none is missed, and an attempt registering
 * later reads the withdrawal and stops. The instance sending an attempt, whichever it is, reads the
 * request within a poll ({@link #abortsRequested}) and closes the HTTP call's connection; the wait
 * for one attempt ends at the latest at its must_end_by, when its own instance aborts the call
 * anyway. The withdrawal's answer and one audit entry then name each disclosure that was sent or
 * being sent meanwhile, with its outcome (an aborted one says whether the recipient may have bytes).
 *
 * <p>All of an in-flight attempt's calls are aborted, also one that may rest on another consent of
 * the citizen: its retry re-checks and goes out again if that consent still permits it.
 */
public final class InFlightDisclosures implements DisclosureFence {

  /** How often a waiting withdrawal looks again: short against a delivery, long against a query. */
  private static final Duration POLL = Duration.ofMillis(20);
  /** Allowance for the clocks of two gateway instances to differ: the wait errs on the long side. */
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(1);
  /** Ended rows are kept this long for withdrawals to name, then deleted as new attempts start. */
  private static final Duration KEPT = Duration.ofDays(1);

  private final Database db;
  private final AuditLog audit;
  private final CitizenLinks links;
  private final Clock clock;

  public InFlightDisclosures(Database db, AuditLog audit, CitizenLinks links, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.links = Objects.requireNonNull(links, "links");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A disclosure that was in flight when a withdrawal committed.
   *
   * @param outcome delivered, retry, failed or cancelled as recorded; "unconfirmed" when its
   *     instance did not record an end before its deadline (it gave up the HTTP call by then)
   */
  public record InFlight(String taskId, int attempt, String messageId, String recipientId, String sentSha256,
      String outcome) {

    /** As the withdrawal's answer and audit entry name it. */
    public String describe() {
      return "Task/" + taskId + " attempt " + attempt + " to " + recipientId + " (payload sha256 " + sentSha256 + "): "
          + outcome;
    }
  }

  @Override
  public void enter(Disclosure disclosure, Instant mustEndBy) {
    Instant now = clock.instant();
    db.inTransaction(c -> {
      List<CitizenIdentifier> citizen = links.expand(c, disclosure.citizen());
      // a registration of this attempt left unended belongs to an instance whose lease expired:
      // it has given the attempt up, and this one is its re-run
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE disclosure_in_flight SET ended_at = ?, outcome = 'abandoned' WHERE outbox_id = ? AND attempt = ?"
              + " AND ended_at IS NULL")) {
        s.setObject(1, Sql.timestamp(now));
        s.setLong(2, disclosure.outboxId());
        s.setInt(3, disclosure.attempt());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO disclosure_in_flight (outbox_id, attempt, citizen_system, citizen_value, task_id, message_id,"
              + " recipient_id, started_at, must_end_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (CitizenIdentifier id : citizen) {
          s.setLong(1, disclosure.outboxId());
          s.setInt(2, disclosure.attempt());
          s.setString(3, id.system());
          s.setString(4, id.value());
          s.setString(5, disclosure.taskId());
          s.setString(6, disclosure.messageId());
          s.setString(7, disclosure.recipient().id());
          s.setObject(8, Sql.timestamp(now));
          s.setObject(9, Sql.timestamp(mustEndBy));
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM disclosure_in_flight WHERE started_at < ?")) {
        s.setObject(1, Sql.timestamp(now.minus(KEPT)));
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void sending(Disclosure disclosure, Decision recheck, byte[] minimised, String sealedSha256) {
    Optional<ConsentVersion> basis = recheck.basis();
    String reason = "sending payload sha256 " + sealedSha256 + " to recipient " + disclosure.recipient().id()
        + basis.map(v -> " under consent " + v.consentId() + " version " + v.version()).orElse(" (no consent needed)");
    // What the recipient gets, read from the bytes sealed, not from the message as it was accepted.
    AuditEvent.SentClasses classes = new AuditEvent.SentClasses(ResourceTypes.of(minimised),
        OutboxStore.withheldClasses(recheck), recheck.excludedReferences().size());
    Instant now = Sql.storedPrecision(clock.instant());
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE disclosure_in_flight SET sending_sha256 = ? WHERE outbox_id = ? AND attempt = ? AND ended_at IS NULL")) {
        s.setString(1, sealedSha256);
        s.setLong(2, disclosure.outboxId());
        s.setInt(3, disclosure.attempt());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO disclosure_unanswered (task_id, outbox_id, attempt, sha256, sent_at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING")) {
        s.setString(1, disclosure.taskId());
        s.setLong(2, disclosure.outboxId());
        s.setInt(3, disclosure.attempt());
        s.setString(4, sealedSha256);
        s.setObject(5, Sql.timestamp(now));
        s.executeUpdate();
      }
      audit.append(c, new AuditEvent.DisclosureSending(now, OutboxStore.DELIVERY_ACTOR,
          disclosure.citizen().stream().findFirst(), disclosure.messageId(), disclosure.recipient().id(), basis,
          disclosure.attempt(), sealedSha256, Optional.of(classes), List.of(reason)));
      return null;
    });
  }

  @Override
  public void leave(AttemptOutcome outcome) {
    Disclosure disclosure = outcome.disclosure();
    Instant now = clock.instant();
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE disclosure_in_flight SET ended_at = ?, outcome = ? WHERE outbox_id = ? AND attempt = ?"
              + " AND ended_at IS NULL")) {
        s.setObject(1, Sql.timestamp(now));
        s.setString(2, described(outcome));
        s.setLong(3, disclosure.outboxId());
        s.setInt(4, disclosure.attempt());
        s.executeUpdate();
      }
      return null;
    });
  }

  /** The outcome as a withdrawal names it: the result, and why unless delivered. */
  static String described(AttemptOutcome outcome) {
    String result = outcome.result().name().toLowerCase(Locale.ROOT);
    String text = outcome.result() == AttemptOutcome.Result.DELIVERED ? result : result + " (" + outcome.reason() + ")";
    return text.length() <= 500 ? text : text.substring(0, 497) + "...";
  }

  @Override
  public Map<AttemptId, String> abortsRequested(Set<AttemptId> inProgress) {
    if (inProgress.isEmpty()) {
      return Map.of();
    }
    Long[] rows = inProgress.stream().map(AttemptId::outboxId).distinct().toArray(Long[]::new);
    return db.read(c -> {
      Map<AttemptId, String> asked = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT outbox_id, attempt, abort_reason"
          + " FROM disclosure_in_flight WHERE ended_at IS NULL AND abort_reason IS NOT NULL AND outbox_id = ANY (?)")) {
        Array ids = c.createArrayOf("bigint", rows);
        s.setArray(1, ids);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            AttemptId id = new AttemptId(r.getLong(1), r.getInt(2));
            if (inProgress.contains(id)) {
              asked.put(id, r.getString(3));
            }
          }
        }
      }
      return asked;
    });
  }

  /**
   * Called after a withdrawal of {@code consent} committed (stored at {@code withdrawnAt}): waits
   * until no attempt about the citizen that started before now is still in flight, then names the
   * disclosures that were sent or being sent since the withdrawal began, and audits them in one
   * entry (none when there were none).
   */
  public List<InFlight> awaitWithdrawal(
      CitizenIdentifier citizen, ConsentVersion consent, Instant withdrawnAt, String actor) {
    List<CitizenIdentifier> identifiers = links.expand(List.of(citizen));
    Instant committed = clock.instant().plus(CLOCK_SKEW);
    String why = "consent " + consent.consentId() + " version " + consent.version() + " was withdrawn";
    db.inTransaction(c -> requestAborts(c, identifiers, committed, why));
    while (db.read(c -> stillInFlight(c, identifiers, committed, clock.instant().minus(CLOCK_SKEW)))) {
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for deliveries in flight", e);
      }
    }
    List<InFlight> named = db.read(c -> sentSince(c, identifiers, withdrawnAt.minus(CLOCK_SKEW), committed));
    if (!named.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      reasons.add("in flight when consent " + consent.consentId() + " version " + consent.version()
          + " was withdrawn, settled or aborted before the withdrawal was answered:");
      named.forEach(f -> reasons.add(f.describe()));
      audit.append(new AuditEvent.WithdrawalFenced(Sql.storedPrecision(clock.instant()), actor, citizen,
          consent, reasons));
    }
    return named;
  }

  private static int requestAborts(Connection c, List<CitizenIdentifier> citizen, Instant startedBefore, String why)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE disclosure_in_flight SET abort_reason = ? WHERE ("
        + anyOf(citizen) + ") AND started_at <= ? AND ended_at IS NULL AND abort_reason IS NULL")) {
      s.setString(1, why);
      int p = bind(s, citizen, 2);
      s.setObject(p, Sql.timestamp(startedBefore));
      return s.executeUpdate();
    }
  }

  private static boolean stillInFlight(Connection c, List<CitizenIdentifier> citizen, Instant startedBefore, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM disclosure_in_flight WHERE (" + anyOf(citizen)
        + ") AND started_at <= ? AND ended_at IS NULL AND must_end_by > ? FETCH FIRST 1 ROWS ONLY")) {
      int p = bind(s, citizen);
      s.setObject(p++, Sql.timestamp(startedBefore));
      s.setObject(p, Sql.timestamp(now));
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static List<InFlight> sentSince(
      Connection c, List<CitizenIdentifier> citizen, Instant withdrawnAt, Instant startedBefore) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT outbox_id, attempt, started_at, task_id, message_id,"
        + " recipient_id, sending_sha256, outcome FROM disclosure_in_flight WHERE (" + anyOf(citizen) + ") AND started_at <= ?"
        + " AND sending_sha256 IS NOT NULL AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, outbox_id")) {
      int p = bind(s, citizen);
      s.setObject(p++, Sql.timestamp(startedBefore));
      s.setObject(p, Sql.timestamp(withdrawnAt));
      Map<String, InFlight> attempts = new LinkedHashMap<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String outcome = r.getString("outcome");
          attempts.putIfAbsent(r.getLong("outbox_id") + "/" + r.getInt("attempt") + "/" + Sql.instant(r, "started_at"),
              new InFlight(r.getString("task_id"), r.getInt("attempt"), r.getString("message_id"),
                  r.getString("recipient_id"), r.getString("sending_sha256"), outcome == null ? "unconfirmed" : outcome));
        }
      }
      return List.copyOf(attempts.values());
    }
  }

  private static String anyOf(List<CitizenIdentifier> citizen) {
    StringBuilder where = new StringBuilder();
    for (int i = 0; i < citizen.size(); i++) {
      where.append(i == 0 ? "" : " OR ").append("(citizen_value = ? AND citizen_system = ?)");
    }
    return where.toString();
  }

  private static int bind(PreparedStatement s, List<CitizenIdentifier> citizen) throws SQLException {
    return bind(s, citizen, 1);
  }

  private static int bind(PreparedStatement s, List<CitizenIdentifier> citizen, int first) throws SQLException {
    int p = first;
    for (CitizenIdentifier id : citizen) {
      s.setString(p++, id.value());
      s.setString(p++, id.system());
    }
    return p;
  }
}
