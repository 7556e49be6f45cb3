package dk.brobygger.gateway.storage;

import dk.brobygger.fhir.consent.ConsentVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads delivery Tasks. They are written by {@link MessageIntake} and {@link OutboxStore}. */
public final class TaskStore {

  static final String COLUMNS =
      "task_id, message_id, recipient_id, state, reason, attempts, created_at, last_modified, basis_consent_id,"
          + " basis_consent_version, version";

  private final Database db;

  public TaskStore(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  public Optional<DeliveryTask> find(String id) {
    return db.read(c -> find(c, id));
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
        tasks.add(new DeliveryTask(
            r.getString("task_id"),
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
            r.getLong("version")));
      }
    }
    return tasks;
  }
}
