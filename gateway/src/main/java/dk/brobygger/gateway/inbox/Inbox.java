package dk.brobygger.gateway.inbox;

import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.gateway.messages.MessageRows;
import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryAnswers;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
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
import java.util.UUID;

/**
 * The outreach team's inbox: inbound messages (a GP's referral, an answer to an appointment request)
 * waiting for the team, shown as FHIR Tasks owned by it. Receiving stores the message, the item and
 * its audit entry in one durable transaction, and an answer also updates the delivery Tasks of the
 * message it answers in that transaction.
 *
 * <p>Item ids are UUIDs drawn like delivery Task ids, and each store reads only its own table, so
 * {@code Task/{id}} names one or the other, never both.
 */
public final class Inbox {

  private static final String COLUMNS =
      "i.item_id, i.message_id, m.event_code, i.owner_id, m.sender_token, i.answers_message_id, i.state,"
          + " i.received_at, i.handled_at, i.handled_by, i.version";
  private static final String FROM = " FROM inbox_item i JOIN message m ON m.message_id = i.message_id";

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;

  public Inbox(Database db, AuditLog audit, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Puts an inbound message in the owner's inbox and returns once it is durable. A message id that
   * is already in this inbox stores nothing and returns the existing item with {@code
   * duplicate=true}, so a sender may safely resend.
   *
   * @param inbound the ingress decision to take the message in (inbound messages need no consent,
   *     but the decision's reasons are audited)
   * @param answersMessageId MessageHeader.id of our message this one answers: its delivery Tasks
   *     get the answer
   * @throws MessageRefusal MessageIdReused when the message id was used by another message;
   *     NotDeliveredHere when it answers a message the gateway did not deliver
   */
  public Acceptance receive(
      ReceivedMessage m, Recipient owner, Decision inbound, Optional<String> answersMessageId, String actor) {
    if (!inbound.permits()) {
      throw new IllegalArgumentException("receive() takes the decision to let the message in");
    }
    Optional<Acceptance> earlier = db.read(c -> received(c, m, owner, actor));
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Instant now = Sql.storedPrecision(clock.instant());
    String itemId = UUID.randomUUID().toString();
    try {
      return db.inTransaction(c -> {
        MessageRows.insert(c, m, owner.id(), now, actor);
        insertItem(c, itemId, m, owner, answersMessageId, now);
        List<String> reasons = new ArrayList<>(inbound.reasons());
        if (answersMessageId.isPresent()) {
          String status = AnswerStatus.of(m);
          List<String> tasks = DeliveryAnswers.applyAnswer(c, answersMessageId.get(), m.messageId(), status, now);
          reasons.add("answers message " + answersMessageId.get() + ": " + status + " (Task " + String.join(", Task ", tasks) + ")");
        }
        // Last: the audit counter row stays locked until commit.
        audit.append(c, new AuditEvent.MessageReceived(now, actor, m.citizen().stream().findFirst(), m.messageId(),
            owner.id(), inbound.basis(), reasons));
        return new Acceptance(itemId, false);
      });
    } catch (MessageRows.AlreadyStored e) {
      // Another request with the same message id committed first: answer as for a resend.
      return db.read(c -> received(c, m, owner, actor)).orElseThrow(() -> usedElsewhere(m));
    }
  }

  /** The owner's inbox items, newest first, optionally only those in one state. */
  public List<InboxItem> list(String ownerId, Optional<InboxState> state) {
    return db.read(c -> {
      String where = " WHERE i.owner_id = ?" + (state.isPresent() ? " AND i.state = ?" : "");
      try (PreparedStatement s = c.prepareStatement(
          "SELECT " + COLUMNS + FROM + where + " ORDER BY i.received_at DESC, i.item_id DESC")) {
        s.setString(1, ownerId);
        if (state.isPresent()) {
          s.setString(2, state.get().name());
        }
        return items(c, s);
      }
    });
  }

  public Optional<InboxItem> find(String id) {
    return db.read(c -> find(c, id, false));
  }

  /** The item, if visible: to its owner, to the party that sent the message, to the privacy officer. */
  public Optional<InboxItem> find(String id, Visibility visibility) {
    if (visibility.party().isEmpty()) {
      return find(id);
    }
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + FROM
          + " WHERE i.item_id = ? AND (i.owner_id = ? OR m.sent_by_party = ?)")) {
        s.setString(1, id);
        s.setString(2, visibility.party().get());
        s.setString(3, visibility.party().get());
        return items(c, s).stream().findFirst();
      }
    });
  }

  /**
   * Marks an item as handled and audits it, in one durable transaction. An item already handled is
   * returned as it is (the first handling stands).
   *
   * @param expectedVersion the version the caller saw (If-Match); refused when the item has changed
   * @throws InboxRefusal UnknownInboxItem for an unknown id, StaleVersion for a stale expected version
   */
  public InboxItem markHandled(String id, Optional<Long> expectedVersion, String actor) {
    Instant now = Sql.storedPrecision(clock.instant());
    return db.inTransaction(c -> {
      // Locked, so that two team members handling one item at once take turns.
      InboxItem item = find(c, id, true)
          .orElseThrow(() -> new InboxRefusal.UnknownInboxItem(id));
      if (item.state() == InboxState.HANDLED) {
        return item;
      }
      if (expectedVersion.isPresent() && expectedVersion.get() != item.version()) {
        throw new InboxRefusal.StaleVersion(id, expectedVersion.get());
      }
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE inbox_item SET state = ?, handled_at = ?, handled_by = ?, version = version + 1"
              + " WHERE item_id = ?")) {
        s.setString(1, InboxState.HANDLED.name());
        s.setObject(2, Sql.timestamp(now));
        s.setString(3, actor);
        s.setString(4, id);
        s.executeUpdate();
      }
      audit.append(c, new AuditEvent.InboxHandled(now, actor, item.citizen().stream().findFirst(), item.messageId(),
          item.ownerId(), List.of("inbox item Task/" + id + " (" + item.event() + ") handled")));
      return find(c, id, false).orElseThrow();
    });
  }

  /**
   * The item a message id already made in this owner's inbox; empty when the id is new.
   *
   * @throws MessageRefusal.MessageIdReused when the id belongs to another inbox or another kind of message
   */
  private static Optional<Acceptance> received(Connection c, ReceivedMessage m, Recipient owner, String actor)
      throws SQLException {
    // One statement, so that it sees the message row and its item (committed together) both or neither.
    try (PreparedStatement s = c.prepareStatement(
        "SELECT i.item_id, i.owner_id, m.sent_by_party FROM message m LEFT JOIN inbox_item i ON i.message_id = m.message_id"
            + " WHERE m.message_id = ?")) {
      s.setString(1, m.messageId());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        if (r.getString("item_id") == null || !owner.id().equals(r.getString("owner_id"))
            || !Visibility.partyOf(actor).equals(r.getString("sent_by_party"))) {
          throw usedElsewhere(m);
        }
        return Optional.of(new Acceptance(r.getString("item_id"), true));
      }
    }
  }

  private static MessageRefusal.MessageIdReused usedElsewhere(ReceivedMessage m) {
    return new MessageRefusal.MessageIdReused(
        "Message rejected: message id " + m.messageId() + " was already used for another message");
  }

  private static void insertItem(
      Connection c, String itemId, ReceivedMessage m, Recipient owner, Optional<String> answersMessageId, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO inbox_item (item_id, message_id, owner_id, answers_message_id, state, received_at, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, 1)")) {
      s.setString(1, itemId);
      s.setString(2, m.messageId());
      s.setString(3, owner.id());
      s.setString(4, answersMessageId.orElse(null));
      s.setString(5, InboxState.NEW.name());
      s.setObject(6, Sql.timestamp(now));
      s.executeUpdate();
    }
  }

  private static Optional<InboxItem> find(Connection c, String id, boolean lock) throws SQLException {
    if (lock) {
      try (PreparedStatement s = c.prepareStatement("SELECT item_id FROM inbox_item WHERE item_id = ? FOR UPDATE")) {
        s.setString(1, id);
        s.executeQuery().close();
      }
    }
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + FROM + " WHERE i.item_id = ?")) {
      s.setString(1, id);
      return items(c, s).stream().findFirst();
    }
  }

  private static List<InboxItem> items(Connection c, PreparedStatement s) throws SQLException {
    List<InboxItem> items = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        items.add(new InboxItem(
            r.getString("item_id"),
            r.getString("message_id"),
            r.getString("event_code"),
            r.getString("owner_id"),
            Sql.optionalString(r, "sender_token"),
            Sql.optionalString(r, "answers_message_id"),
            InboxState.valueOf(r.getString("state")),
            Sql.instant(r, "received_at"),
            Sql.optionalInstant(r, "handled_at"),
            Sql.optionalString(r, "handled_by"),
            r.getLong("version"),
            List.of()));
      }
    }
    // The citizen after the rows: one connection, one open result set at a time.
    List<InboxItem> withCitizen = new ArrayList<>();
    for (InboxItem i : items) {
      withCitizen.add(new InboxItem(i.id(), i.messageId(), i.event(), i.ownerId(), i.senderToken(),
          i.answersMessageId(), i.state(), i.receivedAt(), i.handledAt(), i.handledBy(), i.version(),
          MessageRows.citizenOf(c, i.messageId())));
    }
    return withCitizen;
  }
}
