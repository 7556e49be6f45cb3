package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.gateway.db.Sql;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The WHERE clause of an {@link AuditQuery}. */
final class AuditQuerySql {

  private AuditQuerySql() {}

  /** The clause (empty, or starting with " WHERE"); its parameters are added to {@code parameters}. */
  static String where(AuditQuery q, List<Object> parameters) {
    List<String> conditions = new ArrayList<>();
    q.citizen().ifPresent(citizen -> {
      // The decision and delivery entries name only a message's first identifier, so a citizen is
      // also found through the messages that list the given identifier, and through the other
      // identifiers those messages list for the same citizen.
      conditions.add("((citizen_system = ? AND citizen_value = ?)"
          + " OR message_id IN (SELECT message_id FROM message_citizen WHERE citizen_system = ? AND citizen_value = ?)"
          + " OR EXISTS (SELECT 1 FROM message_citizen given JOIN message_citizen other"
          + " ON other.message_id = given.message_id"
          + " WHERE given.citizen_system = ? AND given.citizen_value = ?"
          + " AND other.citizen_system = audit_log.citizen_system AND other.citizen_value = audit_log.citizen_value))");
      for (int i = 0; i < 3; i++) {
        parameters.add(citizen.system());
        parameters.add(citizen.value());
      }
    });
    q.from().ifPresent(from -> {
      conditions.add("recorded_at >= ?");
      parameters.add(Sql.timestamp(from));
    });
    q.until().ifPresent(until -> {
      conditions.add("recorded_at < ?");
      parameters.add(Sql.timestamp(until));
    });
    q.agent().ifPresent(agent -> {
      conditions.add("(actor = ? OR actor LIKE ? ESCAPE '!')");
      parameters.add(agent);
      parameters.add(agent.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "@%");
    });
    q.entity().ifPresent(entity -> {
      conditions.add("(message_id = ? OR consent_id = ?)");
      parameters.add(entity);
      parameters.add(entity);
    });
    if (!q.outcomes().isEmpty()) {
      conditions.add("outcome IN (" + placeholders(q.outcomes().size()) + ")");
      parameters.addAll(q.outcomes().stream().sorted().toList());
    }
    if (!q.actions().isEmpty()) {
      conditions.add("action IN (" + placeholders(q.actions().size()) + ")");
      parameters.addAll(q.actions().stream().map(Enum::name).sorted().toList());
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** Binds the parameters from index 1; returns the next free index. */
  static int bind(PreparedStatement s, List<Object> parameters) throws SQLException {
    int p = 1;
    for (Object parameter : parameters) {
      s.setObject(p++, parameter);
    }
    return p;
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
