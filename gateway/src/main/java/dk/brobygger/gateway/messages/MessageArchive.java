package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/** The stored messages, read back for the parties that may read them. */
public final class MessageArchive {

  private final Database db;

  public MessageArchive(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * The message as accepted (canonical FHIR JSON), if visible: to the party that sent it, to the
   * team whose inbox it is in, and to the privacy officer. Not to the recipient of an outbound
   * message: it was delivered what its citizen's consent permits, and the stored message is the
   * one before minimisation.
   */
  public Optional<byte[]> readable(String messageId, Visibility visibility) {
    String visible = visibility.party().isPresent()
        ? " AND (m.sent_by_party = ? OR EXISTS (SELECT 1 FROM inbox_item i WHERE i.message_id = m.message_id"
            + " AND i.owner_id = ?))"
        : "";
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT m.body FROM message m WHERE m.message_id = ?" + visible)) {
        s.setString(1, messageId);
        if (visibility.party().isPresent()) {
          s.setString(2, visibility.party().get());
          s.setString(3, visibility.party().get());
        }
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
        }
      }
    });
  }
}
