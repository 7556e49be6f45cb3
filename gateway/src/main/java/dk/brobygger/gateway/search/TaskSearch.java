package dk.brobygger.gateway.search;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.search.TaskQuery.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds Tasks, delivery Tasks and inbox items in one list, newest first, for the operator's search
 * ({@code GET /fhir/Task}); filtered in SQL by what the caller may see. Each condition has an index
 * (migrations V22, V40) ending in the search's order, and each kind of Task is read in the order of
 * its own index so that a page is a merge of two index scans: the message is joined only for a
 * caller who sees a party's Tasks (who sent it), since a join would lose that order; a Task carries
 * its message's event for the same reason.
 */
public final class TaskSearch {

  /**
   * One Task found, with what its FHIR form shows of the message.
   *
   * @param event the message's event code
   * @param citizen the first identifier of the citizen the message is about, if any
   */
  public record Found(Kind kind, String id, String event, Optional<CitizenIdentifier> citizen) {}

  /** What a Task's FHIR form shows of its message. */
  public record MessageFacts(String event, Optional<CitizenIdentifier> citizen) {}

  private static final String FIRST_CITIZEN =
      "(SELECT mc.citizen_system || '|' || mc.citizen_value FROM message_citizen mc"
          + " WHERE mc.message_id = m.message_id ORDER BY mc.ordinal LIMIT 1)";

  private final Database db;

  public TaskSearch(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** One page of matches, newest first (by acceptance or receipt). */
  public List<Found> search(TaskQuery query, Visibility visibility, long offset, int limit) {
    List<Object> parameters = new ArrayList<>();
    // only what orders the page is selected, and the message's facts are read for the page's rows
    // alone, not for every match
    List<String> branches = branches(query, visibility, parameters,
        "'DELIVERY' AS kind, t.task_id AS id, t.created_at AS authored, t.message_id AS message",
        "'INBOX' AS kind, i.item_id AS id, i.received_at AS authored, i.message_id AS message");
    if (branches.isEmpty() || limit == 0) {
      return List.of();
    }
    // Each branch reads only the rows the page can come from, in its index's order: PostgreSQL does
    // not merge two filtered index scans under one LIMIT by itself but sorts every match (407 ms for
    // one recipient at 1M messages, 0.3 ms this way). A number, so written into the statement.
    long upTo = offset > Long.MAX_VALUE - limit ? Long.MAX_VALUE : offset + limit;
    List<String> pages = branches.stream()
        .map(branch -> "(" + branch + " ORDER BY authored DESC, id DESC LIMIT " + upTo + ")").toList();
    return db.read(c -> {
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT kind, id, message FROM (" + String.join(" UNION ALL ", pages)
          + ") x ORDER BY authored DESC, id DESC LIMIT ? OFFSET ?")) {
        int p = bind(s, parameters);
        s.setInt(p++, limit);
        s.setLong(p, offset);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
          }
        }
      }
      List<Found> found = new ArrayList<>();
      for (String[] row : rows) {
        MessageFacts facts = facts(c, row[2]).orElseThrow(() -> new IllegalStateException("a Task without its message"));
        found.add(new Found(Kind.valueOf(row[0]), row[1], facts.event(), facts.citizen()));
      }
      return found;
    });
  }

  /** How many Tasks match. */
  public long count(TaskQuery query, Visibility visibility) {
    List<Object> parameters = new ArrayList<>();
    List<String> branches = branches(query, visibility, parameters, "COUNT(*)", "COUNT(*)");
    if (branches.isEmpty()) {
      return 0;
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + String.join(" + ",
          branches.stream().map(branch -> "(" + branch + ")").toList()))) {
        bind(s, parameters);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    });
  }

  /** The event and citizen of one message, for a Task read on its own. */
  public Optional<MessageFacts> facts(String messageId) {
    return db.read(c -> facts(c, messageId));
  }

  private static Optional<MessageFacts> facts(Connection c, String messageId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT m.event_code, " + FIRST_CITIZEN + " FROM message m WHERE m.message_id = ?")) {
      s.setString(1, messageId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new MessageFacts(r.getString(1), citizen(r.getString(2)))) : Optional.empty();
      }
    }
  }

  private static Optional<CitizenIdentifier> citizen(String token) {
    return CitizenIdentifier.parseToken(token);
  }

  private static List<String> branches(TaskQuery q, Visibility visibility, List<Object> parameters, String deliveryColumns,
      String inboxColumns) {
    List<String> branches = new ArrayList<>();
    if (q.includes(Kind.DELIVERY)) {
      List<String> where = new ArrayList<>();
      visibility.party().ifPresent(party -> {
        where.add("(m.sent_by_party = ? OR t.recipient_id = ?)");
        parameters.add(party);
        parameters.add(party);
      });
      q.owner().ifPresent(owner -> {
        where.add("t.recipient_id = ?");
        parameters.add(owner);
      });
      in(where, parameters, "t.state", q.deliveryStates().stream().map(Enum::name).toList());
      common(q, where, parameters, "t.message_id", "t.event_code", "t.created_at", "t.last_modified");
      branches.add("SELECT " + deliveryColumns + " FROM delivery_task t"
          + (visibility.party().isPresent() ? " JOIN message m ON m.message_id = t.message_id" : "")
          + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)));
    }
    if (q.includes(Kind.INBOX)) {
      List<String> where = new ArrayList<>();
      visibility.party().ifPresent(party -> {
        where.add("(i.owner_id = ? OR m.sent_by_party = ?)");
        parameters.add(party);
        parameters.add(party);
      });
      q.owner().ifPresent(owner -> {
        where.add("i.owner_id = ?");
        parameters.add(owner);
      });
      in(where, parameters, "i.state", q.inboxStates().stream().map(Enum::name).toList());
      common(q, where, parameters, "i.message_id", "i.event_code", "i.received_at", "COALESCE(i.handled_at, i.received_at)");
      branches.add("SELECT " + inboxColumns + " FROM inbox_item i"
          + (visibility.party().isPresent() ? " JOIN message m ON m.message_id = i.message_id" : "")
          + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)));
    }
    return branches;
  }

  private static void common(TaskQuery q, List<String> where, List<Object> parameters, String messageId, String event,
      String authored, String updated) {
    q.citizen().ifPresent(citizen -> {
      List<String> any = new ArrayList<>();
      for (CitizenIdentifier id : citizen) {
        any.add("(citizen_value = ? AND citizen_system = ?)");
        parameters.add(id.value());
        parameters.add(id.system());
      }
      where.add(messageId + " IN (SELECT message_id FROM message_citizen WHERE " + String.join(" OR ", any) + ")");
    });
    in(where, parameters, event, List.copyOf(q.events()));
    range(where, parameters, authored, q.authoredFrom(), q.authoredUntil());
    range(where, parameters, updated, q.updatedFrom(), q.updatedUntil());
    q.messageId().ifPresent(id -> {
      where.add(messageId + " = ?");
      parameters.add(id);
    });
  }

  private static void in(List<String> where, List<Object> parameters, String column, List<String> values) {
    if (!values.isEmpty()) {
      where.add(column + " IN (" + String.join(", ", values.stream().map(v -> "?").toList()) + ")");
      parameters.addAll(values);
    }
  }

  private static void range(List<String> where, List<Object> parameters, String column, Optional<Instant> from,
      Optional<Instant> until) {
    from.ifPresent(at -> {
      where.add(column + " >= ?");
      parameters.add(Sql.timestamp(at));
    });
    until.ifPresent(at -> {
      where.add(column + " < ?");
      parameters.add(Sql.timestamp(at));
    });
  }

  private static int bind(PreparedStatement s, List<Object> parameters) throws SQLException {
    int p = 1;
    for (Object parameter : parameters) {
      s.setObject(p++, parameter);
    }
    return p;
  }
}
