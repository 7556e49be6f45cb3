package dk.brobygger.gateway.console;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.messages.TaskStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages a team sent about a citizen (under any of the citizen's identifiers), newest first,
 * with their delivery Tasks: what the nurse follows until the citizen gets treatment.
 */
public final class CitizenMessages {

  /** One message and where each of its deliveries stands. */
  public record Sent(String messageId, String event, Instant sentAt, List<DeliveryTask> deliveries) {}

  private final Database db;
  private final TaskStore tasks;

  CitizenMessages(Database db, TaskStore tasks) {
    this.db = Objects.requireNonNull(db, "db");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
  }

  List<Sent> sentBy(String party, List<CitizenIdentifier> citizen) {
    List<Sent> sent = new ArrayList<>();
    for (String[] row : db.read(c -> {
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT m.message_id, m.event_code, m.received_at"
          + " FROM message m JOIN message_citizen mc ON mc.message_id = m.message_id"
          + " WHERE m.sent_by_party = ? AND mc.citizen_system = ? AND mc.citizen_value = ?")) {
        for (CitizenIdentifier id : citizen) {
          s.setString(1, party);
          s.setString(2, id.system());
          s.setString(3, id.value());
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              rows.add(new String[] {r.getString(1), r.getString(2), Sql.instant(r, "received_at").toString()});
            }
          }
        }
      }
      return rows;
    })) {
      if (sent.stream().noneMatch(m -> m.messageId().equals(row[0]))) {
        sent.add(new Sent(row[0], row[1], Instant.parse(row[2]), tasks.forMessage(row[0])));
      }
    }
    sent.sort((a, b) -> b.sentAt().compareTo(a.sentAt()));
    return sent;
  }
}
