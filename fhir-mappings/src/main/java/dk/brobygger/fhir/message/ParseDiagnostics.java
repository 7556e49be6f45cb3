package dk.brobygger.fhir.message;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.Rejected;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a parser exception into a short refusal that says where the body is wrong: the element
 * path for JSON (found again in the body, since HAPI's JSON parser does not track it), the line
 * and column for XML and for syntax errors.
 */
final class ParseDiagnostics {

  private static final int MAX_DETAIL = 200;
  private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+: ");
  private static final Pattern JSON_POSITION = Pattern.compile("line: (\\d+), column: (\\d+)");
  private static final Pattern XML_POSITION = Pattern.compile("\\[row,col[^\\]]*\\]: \\[(\\d+),(\\d+)\\]");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParseDiagnostics() {}

  static Rejected rejected(DataFormatException e, FhirFormat format, String body) {
    String what = "invalid FHIR " + format.name();
    Optional<StrictParsing.Problem> problem = problemIn(e);
    Optional<String> position = position(e.getMessage());
    if (problem.isPresent()) {
      StrictParsing.Problem p = problem.get();
      Optional<String> where = format == FhirFormat.JSON
          ? p.element().flatMap(element -> pathInJson(body, element, p.value()))
          : position;
      return new Rejected(p.kind(), what + where.map(w -> " at " + w).orElse("") + ": " + shorten(p.getMessage()));
    }
    return new Rejected(Rejected.Kind.MALFORMED, what + position.map(w -> " at " + w).orElse("") + ": "
        + shorten(detail(e.getMessage())));
  }

  static String withoutHapiCodes(String message) {
    return message == null ? "" : HAPI_CODE.matcher(message).replaceAll("");
  }

  private static Optional<StrictParsing.Problem> problemIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StrictParsing.Problem p) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> position(String message) {
    if (message == null) {
      return Optional.empty();
    }
    for (Pattern pattern : new Pattern[] {JSON_POSITION, XML_POSITION}) {
      Matcher m = pattern.matcher(message);
      if (m.find()) {
        return Optional.of("line " + m.group(1) + ", column " + m.group(2));
      }
    }
    return Optional.empty();
  }

  /** HAPI's message without its codes, wrappers and the parser's location suffix. */
  private static String detail(String message) {
    String text = withoutHapiCodes(message)
        .replace("Failed to parse JSON encoded FHIR content: ", "")
        .replace("Failed to parse XML content: ", "");
    text = text.replaceFirst("^DataFormatException at \\[[^\\]]*\\]\\]: ", "");
    int suffix = text.indexOf("\n at [");
    return (suffix >= 0 ? text.substring(0, suffix) : text).replace('\n', ' ').trim();
  }

  private static String shorten(String text) {
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
  }

  /**
   * The FHIR path of the first occurrence of {@code element} (with {@code value}, when given) in
   * document order, e.g. {@code Bundle.entry[3].resource.name[0].famly}.
   */
  static Optional<String> pathInJson(String body, String element, Optional<String> value) {
    try {
      JsonNode root = JSON.readTree(body);
      String rootName = root.path("resourceType").isTextual() ? root.get("resourceType").asText() : "$";
      return find(root, rootName, element, value);
    } catch (JacksonException unreadable) {
      return Optional.empty();
    }
  }

  private static Optional<String> find(JsonNode node, String path, String element, Optional<String> value) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = find(node.get(i), path + "[" + i + "]", element, value);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String fieldPath = path + "." + field.getKey();
        if (field.getKey().equals(element) && holds(field.getValue(), value)) {
          return Optional.of(fieldPath);
        }
        Optional<String> found = find(field.getValue(), fieldPath, element, value);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean holds(JsonNode node, Optional<String> value) {
    if (value.isEmpty()) {
      return true;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (item.isValueNode() && item.asText().equals(value.get())) {
          return true;
        }
      }
      return false;
    }
    return node.isValueNode() && node.asText().equals(value.get());
  }
}
