package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.delivery.AttemptOutcome.Result;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What recipients tell us about messages we delivered to them: answers (an appointment booked or
 * declined) and asynchronous acknowledgements (MedCom style {@code ok}, {@code transient-error},
 * {@code fatal-error}). Both change the message's delivery Tasks.
 */
public final class DeliveryAnswers {

  /** The acknowledgement codes (FHIR MessageHeader.response.code). */
  public static final String OK = "ok";
  public static final String TRANSIENT_ERROR = "transient-error";
  public static final String FATAL_ERROR = "fatal-error";
  /** Task.businessStatus once the recipient acknowledged the message as ok. */
  public static final String ACKNOWLEDGED = "acknowledged";
  /** Starts Task.businessStatus once an answer arrived, e.g. "answered: booked". */
  public static final String ANSWERED = "answered: ";

  /**
   * recipient_id of an acknowledgement's message row: it is addressed to the gateway itself, which
   * sent the message it acknowledges.
   */
  static final String GATEWAY = "gateway";

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public DeliveryAnswers(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records a recipient's asynchronous acknowledgement of our message and applies it to the
   * message's delivery Tasks, in one durable transaction with its audit entry:
   *
   * <ul>
   *   <li>{@code ok}: the Task is completed (unless it failed or was cancelled), business status
   *       "acknowledged";
   *   <li>{@code fatal-error}: the Task fails, its reason "recipient reported fatal-error: ...";
   *   <li>{@code transient-error}: business status only; the recipient will answer again.
   * </ul>
   *
   * A final acknowledgement (ok, fatal-error) also settles a delivery still waiting for a retry, so
   * that it is not sent again; a delivery in flight right now records its own outcome afterwards.
   * The same acknowledgement again changes nothing and answers {@code duplicate=true}.
   *
   * @param ack the acknowledgement message, stored like every received message
   * @param ourMessageId MessageHeader.id of the message it acknowledges
   * @param code ok, transient-error or fatal-error
   * @param reason the recipient's explanation, if it gave one
   * @return the first delivery Task of the acknowledged message
   * @throws MessageRefusal UnknownAcknowledgementCode for another code, NotDeliveredHere for a
   *     message this gateway did not deliver, MessageIdReused when the acknowledgement's message id
   *     was used by another message
   */
  public Acceptance acknowledge(
      ReceivedMessage ack, String ourMessageId, String code, Optional<String> reason, String actor) {
    if (!List.of(OK, TRANSIENT_ERROR, FATAL_ERROR).contains(code)) {
      throw new MessageRefusal.UnknownAcknowledgementCode(code);
    }
    // A resend is answered from what is stored, without a write (and without waiting for a sync).
    Optional<Acceptance> earlier = db.read(c -> acknowledged(c, ack.messageId(), ourMessageId));
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Instant now = Sql.storedPrecision(clock.instant());
    try {
      return db.inTransaction(c -> {
        lockOutboxRows(c, ourMessageId);
        List<TaskRow> tasks = lockTasks(c, ourMessageId);
        if (tasks.isEmpty()) {
          throw new MessageRefusal.NotDeliveredHere(
              "Acknowledgement rejected: message " + ourMessageId + " was not delivered by this gateway");
        }
        MessageRows.insert(c, ack, GATEWAY, now, actor);
        insertAcknowledgement(c, ack.messageId(), ourMessageId, code, reason, now);
        for (TaskRow task : tasks) {
          apply(c, task, code, reason, now);
        }
        audit.append(c, acknowledgementEntry(c, ack, ourMessageId, tasks.get(0), code, reason, actor, now));
        return new Acceptance(tasks.get(0).taskId(), false);
      });
    } catch (MessageRows.AlreadyStored e) {
      // A concurrent resend committed first.
      return db.read(c -> acknowledged(c, ack.messageId(), ourMessageId)).orElseThrow(() -> conflict(ack));
    }
  }

  /**
   * Links an answer to every delivery Task of the message it answers and sets their business
   * status, inside the caller's transaction.
   *
   * @throws MessageRefusal.NotDeliveredHere when the gateway delivered no message with that id
   */
  public static List<String> applyAnswer(
      Connection c, String answeredMessageId, String answerMessageId, String businessStatus, Instant now)
      throws SQLException {
    List<TaskRow> tasks = lockTasks(c, answeredMessageId);
    if (tasks.isEmpty()) {
      throw new MessageRefusal.NotDeliveredHere(
          "Answer rejected: message " + answeredMessageId + " was not delivered by this gateway");
    }
    List<String> ids = new ArrayList<>();
    for (TaskRow task : tasks) {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO task_answer (task_id, answer_message_id, received_at) VALUES (?, ?, ?)")) {
        s.setString(1, task.taskId());
        s.setString(2, answerMessageId);
        s.setObject(3, Sql.timestamp(now));
        s.executeUpdate();
      }
      updateTask(c, task.taskId(), task.state(), task.reason(), businessStatus, now);
      ids.add(task.taskId());
    }
    return ids;
  }

  private record TaskRow(String taskId, String recipientId, TaskState state, Optional<String> reason) {}

  /**
   * Locks the outbox rows of the message's Tasks before the Tasks themselves: claiming and settling
   * take the outbox row first and the Task second, and the same order here keeps an acknowledgement
   * and a claim from deadlocking. (A lease a claim committed stays in force; see
   * {@link #settleWaitingDelivery}.)
   */
  private static void lockOutboxRows(Connection c, String messageId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id FROM outbox WHERE task_id IN (SELECT task_id FROM delivery_task WHERE message_id = ?)"
            + " ORDER BY id FOR UPDATE")) {
      s.setString(1, messageId);
      s.executeQuery().close();
    }
  }

  /** The message's delivery Tasks, locked so that concurrent answers apply one after another. */
  private static List<TaskRow> lockTasks(Connection c, String messageId) throws SQLException {
    List<TaskRow> tasks = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT task_id, recipient_id, state, reason FROM delivery_task WHERE message_id = ?"
            + " ORDER BY created_at, task_id FOR UPDATE")) {
      s.setString(1, messageId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          tasks.add(new TaskRow(
              r.getString(1), r.getString(2), TaskState.valueOf(r.getString(3)), Sql.optionalString(r, "reason")));
        }
      }
    }
    return tasks;
  }

  /**
   * The answer to an acknowledgement stored before; empty when the id is new.
   *
   * @throws MessageRefusal.MessageIdReused when the id belongs to another message
   */
  private static Optional<Acceptance> acknowledged(Connection c, String ackMessageId, String ourMessageId)
      throws SQLException {
    // One statement, so that it sees the message row and its acknowledgement row (committed
    // together) both or neither.
    try (PreparedStatement s = c.prepareStatement(
        "SELECT a.acknowledges_message_id, t.task_id FROM message m"
            + " LEFT JOIN acknowledgement a ON a.message_id = m.message_id"
            + " LEFT JOIN delivery_task t ON t.message_id = a.acknowledges_message_id"
            + " WHERE m.message_id = ? ORDER BY t.created_at, t.task_id")) {
      s.setString(1, ackMessageId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        if (ourMessageId.equals(r.getString(1)) && r.getString(2) != null) {
          return Optional.of(new Acceptance(r.getString(2), true));
        }
        throw new MessageRefusal.MessageIdReused(
            "Acknowledgement rejected: message id " + ackMessageId + " was already used for another message");
      }
    }
  }

  private static MessageRefusal.MessageIdReused conflict(ReceivedMessage ack) {
    return new MessageRefusal.MessageIdReused(
        "Acknowledgement rejected: message id " + ack.messageId() + " was already used for another message");
  }

  private static void insertAcknowledgement(
      Connection c, String ackMessageId, String ourMessageId, String code, Optional<String> reason, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO acknowledgement (message_id, acknowledges_message_id, code, reason, received_at)"
            + " VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, ackMessageId);
      s.setString(2, ourMessageId);
      s.setString(3, code);
      s.setString(4, reason.orElse(null));
      s.setObject(5, Sql.timestamp(now));
      s.executeUpdate();
    }
  }

  private static void apply(Connection c, TaskRow task, String code, Optional<String> reason, Instant now)
      throws SQLException {
    switch (code) {
      case OK -> {
        // the recipient's word that it has the message settles a Task that stopped not knowing whether it did
        boolean unknown = task.state() == TaskState.FAILED && wentOutUnanswered(c, task.taskId());
        boolean stopped = !unknown && (task.state() == TaskState.FAILED || task.state() == TaskState.CANCELLED);
        Optional<String> why = unknown ? Optional.of("the recipient acknowledged the message") : task.reason();
        updateTask(c, task.taskId(), stopped ? task.state() : TaskState.COMPLETED, why, ACKNOWLEDGED, now);
        settleWaitingDelivery(c, task.taskId(), Result.DELIVERED, now);
      }
      case FATAL_ERROR -> {
        updateTask(c, task.taskId(), TaskState.FAILED, Optional.of(fatalReason(reason)),
            "acknowledged: " + FATAL_ERROR, now);
        settleWaitingDelivery(c, task.taskId(), Result.FAILED, now);
      }
      default -> updateTask(c, task.taskId(), task.state(), task.reason(), "acknowledged: " + TRANSIENT_ERROR, now);
    }
  }

  /** Whether an attempt of the Task went out and got no answer (see OutboxStore: then it is not "cancelled"). */
  private static boolean wentOutUnanswered(Connection c, String taskId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM disclosure_unanswered WHERE task_id = ? FETCH FIRST 1 ROWS ONLY")) {
      s.setString(1, taskId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  static String fatalReason(Optional<String> reason) {
    return "recipient reported " + FATAL_ERROR + reason.map(r -> ": " + r).orElse("");
  }

  private static void updateTask(
      Connection c, String taskId, TaskState state, Optional<String> reason, String businessStatus, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE delivery_task SET state = ?, reason = ?, business_status = ?, last_modified = ?,"
            + " version = version + 1 WHERE task_id = ?")) {
      s.setString(1, state.name());
      s.setString(2, reason.orElse(null));
      s.setString(3, businessStatus);
      s.setObject(4, Sql.timestamp(now));
      s.setString(5, taskId);
      s.executeUpdate();
    }
  }

  /**
   * Finishes the Task's outbox row when it waits for a retry (unfinished and not leased): the
   * recipient has the message, or refused it for good. A row leased right now is left to the
   * delivery in flight, which records (and audits) its own attempt.
   */
  private static void settleWaitingDelivery(Connection c, String taskId, Result settledAs, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE outbox SET finished_at = ?, settled_as = ? WHERE task_id = ? AND finished_at IS NULL"
            + " AND (lease_until IS NULL OR lease_until <= ?)")) {
      s.setObject(1, Sql.timestamp(now));
      s.setString(2, settledAs.name());
      s.setString(3, taskId);
      s.setObject(4, Sql.timestamp(now));
      s.executeUpdate();
    }
  }

  private static AuditEvent acknowledgementEntry(
      Connection c,
      ReceivedMessage ack,
      String ourMessageId,
      TaskRow task,
      String code,
      Optional<String> reason,
      String actor,
      Instant now)
      throws SQLException {
    List<CitizenIdentifier> citizen = MessageRows.citizenOf(c, ourMessageId);
    List<String> reasons = new ArrayList<>();
    reasons.add("acknowledgement " + ack.messageId() + " of message " + ourMessageId);
    reason.ifPresent(r -> reasons.add("recipient reported " + code + ": " + r));
    // About the acknowledged message, so that its trail (decision, attempts, acknowledgement) reads as one.
    return new AuditEvent.AcknowledgementReceived(now, actor, citizen.stream().findFirst(), ourMessageId,
        task.recipientId(), AuditEvent.AcknowledgementCode.of(code).orElseThrow(), reasons);
  }
}
