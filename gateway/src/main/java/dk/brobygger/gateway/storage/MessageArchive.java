package dk.brobygger.gateway.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The stored messages, read back for the party they were addressed to (e.g. its inbox). */
public final class MessageArchive {

  private final Database db;

  public MessageArchive(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** The message as accepted (canonical FHIR JSON), if it was addressed to {@code recipientId}. */
  public Optional<byte[]> addressedTo(String messageId, String recipientId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT body FROM message WHERE message_id = ? AND recipient_id = ?")) {
        s.setString(1, messageId);
        s.setString(2, recipientId);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
        }
      }
    });
  }
}
