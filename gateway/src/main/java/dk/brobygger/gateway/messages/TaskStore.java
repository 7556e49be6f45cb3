package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.consent.ConsentVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads delivery Tasks. They are written by {@link MessageIntake}, {@link OutboxStore} and, for
 * answers and acknowledgements, {@link DeliveryAnswers}. Inbox items are Tasks too, but live in
 * {@link dk.brobygger.gateway.inbox.Inbox}: this store never returns one.
 */
public final class TaskStore {

  static final String COLUMNS =
      "task_id, message_id, recipient_id, state, reason, attempts, created_at, last_modified, basis_consent_id,"
          + " basis_consent_version, version, business_status";

  /** {@link #COLUMNS} of the delivery_task aliased {@code t}, for joins. */
  private static final String QUALIFIED_COLUMNS = "t." + COLUMNS.replace(", ", ", t.");

  private final Database db;

  public TaskStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  public Optional<DeliveryTask> find(String id) {
    return db.read(c -> find(c, id));
  }

  /**
   * The Task, if visible: to the party that sent the message, to the recipient it is delivered to
   * (it may follow what it is sent), and to the privacy officer.
   */
  public Optional<DeliveryTask> find(String id, Visibility visibility) {
    if (visibility.party().isEmpty()) {
      return find(id);
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + QUALIFIED_COLUMNS
          + " FROM delivery_task t JOIN message m ON m.message_id = t.message_id"
          + " WHERE t.task_id = ? AND (m.sent_by_party = ? OR t.recipient_id = ?)")) {
        s.setString(1, id);
        s.setString(2, visibility.party().get());
        s.setString(3, visibility.party().get());
        return tasks(s).stream().findFirst();
      }
    });
  }

  /** The Tasks of one message, oldest first. */
  public List<DeliveryTask> forMessage(String messageId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM delivery_task WHERE message_id = ? ORDER BY created_at, task_id")) {
        s.setString(1, messageId);
        return tasks(s);
      }
    });
  }

  static Optional<DeliveryTask> find(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM delivery_task WHERE task_id = ?")) {
      s.setString(1, id);
      return tasks(s).stream().findFirst();
    }
  }

  private static List<DeliveryTask> tasks(PreparedStatement s) throws SQLException {
    List<DeliveryTask> tasks = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        String basisId = r.getString("basis_consent_id");
        String taskId = r.getString("task_id");
        tasks.add(new DeliveryTask(
            taskId,
            r.getString("message_id"),
            r.getString("recipient_id"),
            TaskState.valueOf(r.getString("state")),
            Sql.optionalString(r, "reason"),
            r.getInt("attempts"),
            Sql.instant(r, "created_at"),
            Sql.instant(r, "last_modified"),
            basisId == null
                ? Optional.empty()
                : Optional.of(new ConsentVersion(basisId, r.getLong("basis_consent_version"))),
            r.getLong("version"),
            Sql.optionalString(r, "business_status"),
            answers(s.getConnection(), taskId)));
      }
    }
    return tasks;
  }

  private static List<String> answers(Connection c, String taskId) throws SQLException {
    List<String> answers = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT answer_message_id FROM task_answer WHERE task_id = ? ORDER BY received_at, answer_message_id")) {
      s.setString(1, taskId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          answers.add(r.getString(1));
        }
      }
    }
    return answers;
  }
}
