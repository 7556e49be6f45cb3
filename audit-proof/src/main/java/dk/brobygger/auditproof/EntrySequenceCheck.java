package dk.brobygger.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dk.brobygger.auditproof.ExportVerification.Kind;
import dk.brobygger.auditproof.ExportVerification.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A rule of Brobygger's log on top of the generic export format: every entry's canonical text
 * carries its own sequence number {@code "seq"}, which is its leaf index + 1. An export whose lines
 * were renumbered after entries were removed, inserted or reordered still fails at the root, but
 * only this rule can name the first entry that is out of place.
 */
final class EntrySequenceCheck {

  private EntrySequenceCheck() {}

  /** The first entry whose own sequence number is not its index + 1; malformed lines are left to ExportVerifier. */
  static Optional<Problem> firstMisplaced(Reader export) throws IOException {
    BufferedReader reader = new BufferedReader(export);
    String text;
    int line = 0;
    while ((text = reader.readLine()) != null) {
      line++;
      JsonNode node = parse(text);
      if (node == null || !node.isObject()) {
        continue;
      }
      JsonNode index = node.get(LogExport.INDEX);
      JsonNode entry = node.get(LogExport.ENTRY);
      if (index == null || !index.canConvertToLong() || entry == null || !entry.isTextual()) {
        continue;
      }
      JsonNode canonical = parse(entry.textValue());
      JsonNode seq = canonical == null ? null : canonical.get("seq");
      if (seq == null || !seq.isIntegralNumber()) {
        return Optional.of(new Problem(Kind.INDEX_SEQUENCE, OptionalInt.of(line), OptionalLong.of(index.longValue()),
            "entry " + index.longValue() + " carries no sequence number \"seq\""));
      }
      if (seq.longValue() != index.longValue() + 1) {
        return Optional.of(new Problem(Kind.INDEX_SEQUENCE, OptionalInt.of(line), OptionalLong.of(index.longValue()),
            "entry " + index.longValue() + " should have sequence number " + (index.longValue() + 1) + " but is entry "
                + seq.longValue() + " of the log: entries were removed, inserted or reordered before it"));
      }
    }
    return Optional.empty();
  }

  private static JsonNode parse(String text) {
    try {
      return LogExport.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
