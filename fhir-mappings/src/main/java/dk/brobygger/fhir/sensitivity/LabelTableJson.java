package dk.brobygger.fhir.sensitivity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Failed;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a label table and its checks. A table is configuration that decides what a
 * citizen's consent can hold back, so anything doubtful (an unknown field, a repeated key, a rule
 * naming an unknown category) refuses the whole table rather than loading part of it.
 */
final class LabelTableJson {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private LabelTableJson() {}

  record Table(String about, Map<String, Category> categories, List<Rule> rules) {}

  record Category(String about, List<Label> labels) {}

  record Label(String system, String code, String display) {}

  record Rule(String category, String system, String prefix, String from, String to, String about) {}

  /** The rules of the table, in table order. Throws {@link Failed} (not transient) naming the problem. */
  static List<LabelRule> read(byte[] json, String source) {
    Table table;
    try {
      table = JSON.readValue(json, Table.class);
    } catch (JsonProcessingException e) {
      throw refuse(source, "is not a valid table: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw refuse(source, "could not be read", e);
    }
    if (table == null || table.categories() == null || table.rules() == null) {
      throw refuse(source, "needs both \"categories\" and \"rules\"", null);
    }
    List<LabelRule> rules = new ArrayList<>();
    for (int i = 0; i < table.rules().size(); i++) {
      try {
        rules.add(rule(table.rules().get(i), table.categories()));
      } catch (IllegalArgumentException e) {
        throw refuse(source, "rules[" + i + "]: " + e.getMessage(), e);
      }
    }
    return rules;
  }

  private static LabelRule rule(Rule rule, Map<String, Category> categories) {
    if (rule == null) {
      throw new IllegalArgumentException("is null");
    }
    require(rule.system(), "\"system\"");
    require(rule.about(), "\"about\"");
    require(rule.category(), "\"category\"");
    Category category = categories.get(rule.category());
    if (category == null) {
      throw new IllegalArgumentException("category '" + rule.category() + "' is not among \"categories\"");
    }
    return new LabelRule(rule.system(), range(rule), labels(rule.category(), category), rule.about());
  }

  private static CodeRange range(Rule rule) {
    boolean prefix = rule.prefix() != null;
    boolean fromOrTo = rule.from() != null || rule.to() != null;
    if (prefix == fromOrTo) {
      throw new IllegalArgumentException("give either \"prefix\" or both \"from\" and \"to\"");
    }
    if (prefix) {
      return CodeRange.prefix(rule.prefix());
    }
    require(rule.from(), "\"from\"");
    require(rule.to(), "\"to\"");
    return new CodeRange(rule.from(), rule.to());
  }

  private static Set<Code> labels(String name, Category category) {
    if (category == null || category.labels() == null || category.labels().isEmpty()) {
      throw new IllegalArgumentException("category '" + name + "' has no labels");
    }
    Set<Code> labels = new LinkedHashSet<>();
    int confidentiality = 0;
    for (Label label : category.labels()) {
      if (label == null) {
        throw new IllegalArgumentException("category '" + name + "' has a null label");
      }
      require(label.system(), "the system of a label of category '" + name + "'");
      require(label.code(), "the code of a label of category '" + name + "'");
      Code code = new Code(label.system(), label.code());
      if (Code.CONFIDENTIALITY.equals(code.system())) {
        if (Confidentiality.of(code).isEmpty()) {
          throw new IllegalArgumentException(
              "category '" + name + "' has confidentiality '" + code.code() + "', which is not one of U, L, M, N, R, V");
        }
        confidentiality++;
      }
      labels.add(code);
    }
    if (confidentiality > 1) {
      throw new IllegalArgumentException("category '" + name + "' gives more than one confidentiality level");
    }
    return labels;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
  }

  private static Failed refuse(String source, String problem, Throwable cause) {
    return new Failed("sensitivity label table " + source + " " + problem, cause, false);
  }
}
