package dk.brobygger.gateway.outbox;

import dk.brobygger.gateway.db.Database;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an accepted message held, in the terms a citizen's disclosure report may use: its event and
 * the kinds (resource types) of data in it, never the data itself.
 */
public final class DisclosedMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database db;

  public DisclosedMessages(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /**
   * @param eventCode the message event, e.g. "referral"
   * @param resourceTypes the resource types in the message, in order of first appearance, without
   *     the MessageHeader (the envelope, not data about the citizen)
   */
  public record Summary(String messageId, String eventCode, List<String> resourceTypes) {
    public Summary {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(eventCode, "eventCode");
      resourceTypes = List.copyOf(resourceTypes);
    }
  }

  /** The summary of an accepted message; empty for a message that was never accepted. */
  public Optional<Summary> of(String messageId) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT event_code, body FROM message WHERE message_id = ?")) {
        s.setString(1, messageId);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return Optional.empty();
          }
          return Optional.of(new Summary(messageId, r.getString(1), resourceTypes(r.getBytes(2))));
        }
      }
    });
  }

  private static List<String> resourceTypes(byte[] bundle) {
    List<String> types = new ArrayList<>();
    try {
      for (JsonNode entry : JSON.readTree(bundle).path("entry")) {
        String type = entry.path("resource").path("resourceType").asText("");
        if (!type.isEmpty() && !type.equals("MessageHeader") && !types.contains(type)) {
          types.add(type);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("a stored message is not JSON", e);
    }
    return types;
  }
}
