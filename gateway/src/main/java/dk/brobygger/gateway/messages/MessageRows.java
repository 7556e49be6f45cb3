package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.db.Sql;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code message} and {@code message_citizen} rows every received message gets, whichever way
 * it goes (out to a recipient, into an inbox, or an acknowledgement). One table for all of them
 * makes a message id usable once only, whatever kind of message used it first.
 */
public final class MessageRows {

  /** PostgreSQL's SQLState of a unique-constraint violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  private MessageRows() {}

  /**
   * Inserts the message and its citizen identifiers.
   *
   * @param recipientId directory id of the party the message is for
   * @param actor who sent it ({@code party@address}); its party owns the message
   * @throws AlreadyStored when a concurrent transaction stored the message id first
   */
  public static void insert(Connection c, ReceivedMessage m, String recipientId, Instant now, String actor)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO message (message_id, received_at, received_from, event_system, event_code, sender_token,"
            + " destination_token, recipient_id, purpose_system, purpose_code, body, sent_by_party)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, m.messageId());
      s.setObject(2, Sql.timestamp(now));
      s.setString(3, actor);
      s.setString(4, m.event().system());
      s.setString(5, m.event().code());
      s.setString(6, m.sender().map(OrganisationIdentifier::token).orElse(null));
      s.setString(7, m.destination().token());
      s.setString(8, recipientId);
      s.setString(9, m.purpose().system());
      s.setString(10, m.purpose().code());
      s.setBytes(11, m.canonicalJson());
      // who sent it, for what it may see later (its Tasks, the message itself)
      s.setString(12, Visibility.partyOf(actor));
      s.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new AlreadyStored(e);
      }
      throw e;
    }
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO message_citizen (message_id, ordinal, citizen_system, citizen_value) VALUES (?, ?, ?, ?)")) {
      int ordinal = 0;
      for (CitizenIdentifier id : m.citizen()) {
        s.setString(1, m.messageId());
        s.setInt(2, ordinal++);
        s.setString(3, id.system());
        s.setString(4, id.value());
        s.addBatch();
      }
      if (ordinal > 0) {
        s.executeBatch();
      }
    }
  }

  /** The citizen identifiers of a stored message, in the order the message gave them. */
  public static List<CitizenIdentifier> citizenOf(Connection c, String messageId) throws SQLException {
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

  /** The message id was inserted by a concurrent transaction that committed first. */
  public static final class AlreadyStored extends RuntimeException {
    AlreadyStored(SQLException cause) {
      super("message id already stored", cause);
    }
  }
}
