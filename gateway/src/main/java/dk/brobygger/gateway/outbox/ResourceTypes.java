package dk.brobygger.gateway.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of data in a message, in the terms a citizen's disclosure report may use: resource
 * types, never the data itself.
 */
final class ResourceTypes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResourceTypes() {}

  /**
   * The resource types in a message Bundle (FHIR JSON), in order of first appearance, without the
   * MessageHeader (the envelope, not data about the citizen).
   */
  static List<String> of(byte[] bundle) {
    List<String> types = new ArrayList<>();
    try {
      for (JsonNode entry : JSON.readTree(bundle).path("entry")) {
        String type = entry.path("resource").path("resourceType").asText("");
        if (!type.isEmpty() && !type.equals("MessageHeader") && !types.contains(type)) {
          types.add(type);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("a minimised message is not JSON", e);
    }
    return types;
  }
}
