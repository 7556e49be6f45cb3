package dk.brobygger.gateway.outbox;

import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.delivery.DisclosureOutbox;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The outbox in the database. Claiming leases due rows to this instance; on PostgreSQL with
 * {@code FOR UPDATE SKIP LOCKED}, so that two instances polling at once take different rows
 * instead of queueing on the same ones. A lease that is never
 * settled (a crash) expires, and the row is claimed again.
 *
 * <p>Only the holder of the lease may settle a row. The holder is recognised by instance id and
 * by the exact lease expiry this instance wrote when it claimed the row (kept in memory), so a
 * row that another claimer took over after the lease expired cannot be settled by the first one.
 *
 * <p>Counting attempts: a round counts as an attempt when the consent re-check permitted it, or
 * when anything was sent or answered. A round stopped before that (consent withdrawn: cancelled;
 * consent store unavailable: retry without a re-check) does not count, because nothing left the
 * gateway and the retry budget is about the recipient's availability.
 */
public final class OutboxStore implements DisclosureOutbox {

  static final String DELIVERY_ACTOR = "gateway";
  /**
   * Starts the reason that lists what minimisation removed from a disclosure (the data classes the
   * consent excluded, comma-separated, then the number of items): the citizen's report shows it.
   */
  public static final String REMOVED_BEFORE_SENDING = "removed before sending: ";

  private final Database db;
  private final AuditLog audit;
  private final Function<String, Optional<Recipient>> directory;
  private final Clock clock;
  private final Duration lease;
  private final String instanceId;
  /** Outbox id -> lease expiry this instance wrote when it claimed the row. */
  private final Map<Long, Instant> leases = new ConcurrentHashMap<>();

  public OutboxStore(
      Database db,
      AuditLog audit,
      Function<String, Optional<Recipient>> directory,
      Clock clock,
      Duration lease,
      String instanceId) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive");
    }
  }

  @Override
  public List<Disclosure> claim(int max) {
    if (max < 1) {
      return List.of();
    }
    Instant now = Sql.storedPrecision(clock.instant());
    Instant leaseUntil = Sql.storedPrecision(now.plus(lease));
    List<Disclosure> claimed = db.inTransaction(c -> claim(c, max, now, leaseUntil));
    for (Disclosure d : claimed) {
      leases.put(d.outboxId(), leaseUntil);
    }
    return claimed;
  }

  record DueRow(
      long outboxId,
      String taskId,
      int attempts,
      String messageId,
      String recipientId,
      Instant acceptedAt,
      Code purpose,
      byte[] body) {}

  private List<Disclosure> claim(Connection c, int max, Instant now, Instant leaseUntil) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT o.id FROM outbox o WHERE o.finished_at IS NULL AND o.next_attempt_at <= ?"
            + " AND (o.lease_until IS NULL OR o.lease_until <= ?)"
            + " AND NOT EXISTS (" + RecipientPauses.PAUSED_ROW + ")"
            + " ORDER BY o.id FETCH FIRST ? ROWS ONLY FOR UPDATE OF o SKIP LOCKED")) {
      s.setObject(1, Sql.timestamp(now));
      s.setObject(2, Sql.timestamp(now));
      s.setInt(3, max);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          ids.add(r.getLong(1));
        }
      }
    }
    List<Disclosure> claimed = new ArrayList<>();
    for (long id : ids) {
      if (!lease(c, id, now, leaseUntil)) {
        continue;
      }
      DueRow row = load(c, id);
      Optional<Recipient> recipient = directory.apply(row.recipientId());
      List<CitizenIdentifier> citizen = citizenOf(c, row.messageId());
      if (recipient.isEmpty()) {
        settleUnknownRecipient(c, row, citizen, now);
        continue;
      }
      markInProgress(c, row.taskId(), now);
      claimed.add(new Disclosure(
          row.outboxId(),
          row.taskId(),
          row.messageId(),
          recipient.get(),
          citizen,
          row.purpose(),
          row.body(),
          row.attempts() + 1,
          row.acceptedAt()));
    }
    return List.copyOf(claimed);
  }

  /** Takes the lease, re-checking under the row lock that the row is still due and free. */
  private boolean lease(Connection c, long id, Instant now, Instant leaseUntil) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND finished_at IS NULL"
            + " AND (lease_until IS NULL OR lease_until <= ?)")) {
      s.setString(1, instanceId);
      s.setObject(2, Sql.timestamp(leaseUntil));
      s.setLong(3, id);
      s.setObject(4, Sql.timestamp(now));
      return s.executeUpdate() == 1;
    }
  }

  /** The row as a delivery would claim it; a re-run's age limit counts from the re-run ({@code rerun_at}). */
  static DueRow load(Connection c, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT o.id, o.task_id, o.attempts, t.message_id, t.recipient_id,"
            + " COALESCE(o.rerun_at, m.received_at) AS received_at, m.purpose_system,"
            + " m.purpose_code, m.body FROM outbox o JOIN delivery_task t ON t.task_id = o.task_id"
            + " JOIN message m ON m.message_id = t.message_id WHERE o.id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new SQLException("outbox row " + id + " has no task or message");
        }
        return new DueRow(
            r.getLong("id"),
            r.getString("task_id"),
            r.getInt("attempts"),
            r.getString("message_id"),
            r.getString("recipient_id"),
            Sql.instant(r, "received_at"),
            new Code(r.getString("purpose_system"), r.getString("purpose_code")),
            r.getBytes("body"));
      }
    }
  }

  static List<CitizenIdentifier> citizenOf(Connection c, String messageId) throws SQLException {
    List<CitizenIdentifier> citizen = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT citizen_system, citizen_value FROM message_citizen WHERE message_id = ? ORDER BY ordinal")) {
      s.setString(1, messageId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          citizen.add(new CitizenIdentifier(r.getString(1), r.getString(2)));
        }
      }
    }
    return citizen;
  }

  private static void markInProgress(Connection c, String taskId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE delivery_task SET state = ?, last_modified = ?, version = version + 1"
            + " WHERE task_id = ? AND state = ?")) {
      s.setString(1, TaskState.IN_PROGRESS.name());
      s.setObject(2, Sql.timestamp(now));
      s.setString(3, taskId);
      s.setString(4, TaskState.REQUESTED.name());
      s.executeUpdate();
    }
  }

  private void settleUnknownRecipient(Connection c, DueRow row, List<CitizenIdentifier> citizen, Instant now)
      throws SQLException {
    String reason = "recipient " + row.recipientId() + " is no longer in the directory";
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE outbox SET finished_at = ?, settled_as = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?")) {
      s.setObject(1, Sql.timestamp(now));
      s.setString(2, Result.FAILED.name());
      s.setLong(3, row.outboxId());
      s.executeUpdate();
    }
    updateTask(c, row.taskId(), TaskState.FAILED, reason, 0, Optional.empty(), now);
    audit.append(c, new AuditEvent.DisclosureSettled(now, DELIVERY_ACTOR, citizen.stream().findFirst(), row.messageId(),
        row.recipientId(), AuditEvent.Settlement.FAILED, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(reason)));
  }

  /**
   * Settles one attempt: outbox row, Task and audit entry in one durable transaction.
   *
   * <p>A recipient's 2xx is recorded whoever holds the row by then, also when this instance no
   * longer holds a lease on it: e.g. its lease ran out during the attempt, this instance took the row
   * again and the second attempt settled first (issue 8's long run: the Task ended failed on the
   * second attempt's 400 while the first had been answered 200).
   *
   * @throws Failed when this instance no longer holds the row's lease and the outcome is not a 2xx
   *     (nothing is changed), or the storage fails; the lease then expires and the row is tried again
   */
  @Override
  public void record(AttemptOutcome outcome) {
    Disclosure d = outcome.disclosure();
    Instant leaseUntil = leases.get(d.outboxId());
    if (leaseUntil == null && outcome.result() != Result.DELIVERED) {
      throw new Failed("outbox row " + d.outboxId() + " is not leased to " + instanceId, null);
    }
    Instant now = Sql.storedPrecision(clock.instant());
    boolean counts = countsAsAttempt(outcome);
    boolean recorded = db.inTransaction(c -> {
      Optional<Optional<ConsentVersion>> basis = outcome.recheck().map(Decision::basis);
      // What went out, as the attempt recorded it before sending (the Merkle-covered sending entry).
      Optional<AuditEvent.SentClasses> classes = Optional.empty();
      if (outcome.sentSha256().isPresent()) {
        classes = audit.sending(c, d.messageId(), d.attempt(), outcome.sentSha256().get())
            .flatMap(AuditEvent.DisclosureSending::classes);
      }
      if (leaseUntil == null || !settleRow(c, outcome, leaseUntil, counts, now)) {
        if (outcome.result() != Result.DELIVERED) {
          return false;
        }
        // the recipient's 2xx is a fact, whoever holds the row now: never leave it cancelled or retried
        finishLate(c, d.outboxId(), now);
        updateTask(c, d.taskId(), TaskState.COMPLETED, outcome.reason() + " (after this attempt's lease had run out)",
            1, basis, now);
        audit.append(c, attemptEntry(outcome, true, classes, now));
        return true;
      }
      answered(c, outcome);
      TaskState state = taskState(outcome.result());
      String reason = outcome.reason();
      if (state == TaskState.CANCELLED || state == TaskState.FAILED) {
        List<String> unanswered = unanswered(c, d.taskId());
        if (!unanswered.isEmpty()) {
          // "cancelled" says nothing was sent; here something was and its fate is unknown
          reason += (state == TaskState.CANCELLED ? "; not marked cancelled: " : "; ") + String.join("; ", unanswered)
              + " got no answer, so the recipient may have received the message";
          state = TaskState.FAILED;
        }
      }
      updateTask(c, d.taskId(), state, reason, counts ? 1 : 0, basis, now);
      audit.append(c, attemptEntry(outcome, counts, classes, now));
      return true;
    });
    if (leaseUntil != null) {
      leases.remove(d.outboxId(), leaseUntil);
    }
    if (!recorded) {
      throw new Failed("the lease on outbox row " + d.outboxId() + " was lost; the outcome is not recorded", null);
    }
  }

  /**
   * Forgets the record of sending of an attempt that got an answer, or that sent nothing after all
   * (see {@link InFlightDisclosures#sending}).
   */
  private static void answered(Connection c, AttemptOutcome outcome) throws SQLException {
    if (outcome.sealedSha256().isEmpty() || outcome.unanswered()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement("DELETE FROM disclosure_unanswered WHERE outbox_id = ? AND sha256 = ?")) {
      s.setLong(1, outcome.disclosure().outboxId());
      s.setString(2, outcome.sealedSha256().get());
      s.executeUpdate();
    }
  }

  /** The Task's attempts whose bytes went out without an answer, oldest first, as a Task's reason names them. */
  private static List<String> unanswered(Connection c, String taskId) throws SQLException {
    List<String> named = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT attempt, sha256, sent_at FROM disclosure_unanswered WHERE task_id = ? ORDER BY sent_at, attempt")) {
      s.setString(1, taskId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          named.add("attempt " + r.getInt(1) + " (payload sha256 " + r.getString(2) + ", sent " + Sql.instant(r, "sent_at")
              + ")");
        }
      }
    }
    return named;
  }

  private static void finishLate(Connection c, long outboxId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE outbox SET attempts = attempts + 1, finished_at = ?, settled_as = ?, lease_owner = NULL,"
            + " lease_until = NULL WHERE id = ? AND finished_at IS NULL")) {
      s.setObject(1, Sql.timestamp(now));
      s.setString(2, Result.DELIVERED.name());
      s.setLong(3, outboxId);
      s.executeUpdate();
    }
  }

  /**
   * Gives back every lease this instance still holds, for a stop after delivery has ended: a row
   * whose attempt was cut off is due again at once, for the next instance or start, instead of
   * after its lease. An attempt that still tries to record afterwards finds its lease gone and
   * records nothing, unless its recipient answered 2xx (see {@link #record}); the row is delivered
   * again, under the same idempotency key.
   *
   * @return how many rows were released
   */
  public int releaseLeases() {
    int released = db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND finished_at IS NULL")) {
        s.setString(1, instanceId);
        return s.executeUpdate();
      }
    });
    leases.clear();
    return released;
  }

  /** Whether this round was an attempt: the re-check let it go out, or anything was sent or answered. */
  static boolean countsAsAttempt(AttemptOutcome outcome) {
    return outcome.sentSha256().isPresent()
        || outcome.httpStatus().isPresent()
        || outcome.recheck().map(Decision::permits).orElse(false);
  }

  private boolean settleRow(Connection c, AttemptOutcome outcome, Instant leaseUntil, boolean counts, Instant now)
      throws SQLException {
    boolean retry = outcome.result() == Result.RETRY;
    String sql = retry
        ? "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL"
        : "UPDATE outbox SET attempts = attempts + ?, finished_at = ?, settled_as = ?, lease_owner = NULL,"
            + " lease_until = NULL";
    try (PreparedStatement s = c.prepareStatement(
        sql + " WHERE id = ? AND lease_owner = ? AND lease_until = ? AND finished_at IS NULL")) {
      int p = 1;
      s.setInt(p++, counts ? 1 : 0);
      if (retry) {
        s.setObject(p++, Sql.timestamp(Sql.storedPrecision(outcome.nextAttemptAt().orElseThrow())));
      } else {
        s.setObject(p++, Sql.timestamp(now));
        s.setString(p++, outcome.result().name());
      }
      s.setLong(p++, outcome.disclosure().outboxId());
      s.setString(p++, instanceId);
      s.setObject(p, Sql.timestamp(leaseUntil));
      return s.executeUpdate() == 1;
    }
  }

  private static TaskState taskState(Result result) {
    return switch (result) {
      case DELIVERED -> TaskState.COMPLETED;
      case RETRY -> TaskState.IN_PROGRESS;
      case FAILED -> TaskState.FAILED;
      case CANCELLED -> TaskState.CANCELLED;
    };
  }

  /**
   * @param basis the re-check's basis when a re-check was made (it replaces the Task's basis,
   *     even when the re-check found none); empty to keep the Task's basis
   */
  private static void updateTask(
      Connection c,
      String taskId,
      TaskState state,
      String reason,
      int addedAttempts,
      Optional<Optional<ConsentVersion>> basis,
      Instant now)
      throws SQLException {
    String setBasis = basis.isPresent() ? ", basis_consent_id = ?, basis_consent_version = ?" : "";
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE delivery_task SET state = ?, reason = ?, attempts = attempts + ?, last_modified = ?,"
            + " version = version + 1" + setBasis + " WHERE task_id = ?")) {
      int p = 1;
      s.setString(p++, state.name());
      s.setString(p++, fitted(reason));
      s.setInt(p++, addedAttempts);
      s.setObject(p++, Sql.timestamp(now));
      if (basis.isPresent()) {
        Optional<ConsentVersion> version = basis.get();
        s.setString(p++, version.map(ConsentVersion::consentId).orElse(null));
        if (version.isPresent()) {
          s.setLong(p++, version.get().version());
        } else {
          s.setNull(p++, Types.BIGINT);
        }
      }
      s.setString(p, taskId);
      if (s.executeUpdate() != 1) {
        throw new SQLException("task " + taskId + " is missing");
      }
    }
  }

  /** delivery_task.reason holds 2,000 characters. */
  public static final int REASON_CHARS = 2000;

  /**
   * A reason that fits the Task: a long one (a deny names every consent it read) keeps its start and
   * its end, where the Task's own note (e.g. that the recipient may have the message) stands; the
   * audit entry keeps every reason whole.
   */
  static String fitted(String reason) {
    if (reason.length() <= REASON_CHARS) {
      return reason;
    }
    String cut = " [...] ";
    int half = (REASON_CHARS - cut.length()) / 2;
    return reason.substring(0, half) + cut + reason.substring(reason.length() - half);
  }

  private static AuditEvent attemptEntry(
      AttemptOutcome outcome, boolean counts, Optional<AuditEvent.SentClasses> classes, Instant now) {
    Disclosure d = outcome.disclosure();
    List<String> reasons = new ArrayList<>();
    reasons.add(outcome.reason());
    outcome.recheck().ifPresent(decision -> reasons.addAll(decision.reasons()));
    if (outcome.sentSha256().isPresent()) {
      outcome.recheck().filter(Decision::permits).flatMap(OutboxStore::removedBeforeSending).ifPresent(reasons::add);
    }
    return new AuditEvent.DisclosureSettled(now, DELIVERY_ACTOR, d.citizen().stream().findFirst(), d.messageId(),
        d.recipient().id(), settlement(outcome.result()), outcome.recheck().flatMap(Decision::basis),
        counts ? Optional.of(d.attempt()) : Optional.empty(), outcome.sentSha256(), classes, reasons);
  }

  private static AuditEvent.Settlement settlement(Result result) {
    return switch (result) {
      case DELIVERED -> AuditEvent.Settlement.DELIVERED;
      case RETRY -> AuditEvent.Settlement.RETRY;
      case FAILED -> AuditEvent.Settlement.FAILED;
      case CANCELLED -> AuditEvent.Settlement.CANCELLED;
    };
  }

  /** The data classes the permit made minimisation remove, sorted. */
  static List<String> withheldClasses(Decision permit) {
    return permit.excludedClasses().stream().map(Code::code).distinct().sorted().toList();
  }

  /** What the permit made minimisation remove, when it removed anything: a sentence for people. */
  static Optional<String> removedBeforeSending(Decision permit) {
    if (permit.excludedClasses().isEmpty() && permit.excludedReferences().isEmpty()) {
      return Optional.empty();
    }
    List<String> classes = withheldClasses(permit);
    return Optional.of(REMOVED_BEFORE_SENDING + String.join(", ", classes)
        + " (" + permit.excludedReferences().size() + " items)");
  }
}
