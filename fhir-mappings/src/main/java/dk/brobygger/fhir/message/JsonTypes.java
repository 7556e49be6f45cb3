package dk.brobygger.fhir.message;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.Rejected;
import java.util.Map;

/**
 * FHIR JSON fixes the JSON type of every element (a string is a JSON string, a decimal a JSON
 * number, a boolean true or false), but HAPI's parser quietly turns {@code "display": 12345} into
 * the string "12345". The encoder knows each element's type, so a body is compared with its own
 * canonical encoding: a value whose JSON type differs from what FHIR encodes there is refused.
 */
final class JsonTypes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonTypes() {}

  static void check(byte[] body, byte[] canonical) {
    if (java.util.Arrays.equals(body, canonical)) {
      return; // a stored message read again for the send-time re-check: nothing to compare
    }
    JsonNode sent;
    JsonNode encoded;
    try {
      sent = JSON.readTree(body);
      encoded = JSON.readTree(canonical);
    } catch (IOException unreadable) {
      return; // the parser accepted the body already; nothing to compare against
    }
    String root = sent.path("resourceType").isTextual() ? sent.get("resourceType").asText() : "$";
    compare(sent, encoded, root);
  }

  private static void compare(JsonNode sent, JsonNode encoded, String path) {
    if (encoded == null || encoded.isMissingNode() || encoded.isNull() || sent.isNull()) {
      return; // dropped by the parser (e.g. an empty value) or a null placeholder in a primitive array
    }
    if (sent.isObject()) {
      for (Map.Entry<String, JsonNode> field : sent.properties()) {
        compare(field.getValue(), encoded.get(field.getKey()), path + "." + field.getKey());
      }
    } else if (sent.isArray()) {
      for (int i = 0; i < sent.size(); i++) {
        compare(sent.get(i), encoded.isArray() ? encoded.get(i) : null, path + "[" + i + "]");
      }
    } else if (sent.getNodeType() != encoded.getNodeType()) {
      throw new Rejected(Rejected.Kind.MALFORMED, "invalid FHIR JSON at " + path + ": element must be "
          + describe(encoded) + ", found " + describe(sent));
    }
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a JSON string";
      case NUMBER -> "a JSON number";
      case BOOLEAN -> "a JSON boolean";
      case OBJECT -> "a JSON object";
      case ARRAY -> "a JSON array";
      default -> "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
