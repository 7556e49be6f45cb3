package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.auditlog.entries.AuditLog;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The audit log is append-only by construction: no statement in the shipped code (Java or SQL)
 * changes or removes its rows, nor those of its recorded leaf hashes and checkpoints. This scans gateway/src/main for one.
 */
class AuditLogIsAppendOnlyTest {

  private static final Pattern CHANGES_AUDIT_LOG = Pattern.compile(
      "\\b(UPDATE|DELETE\\s+FROM|DELETE|TRUNCATE\\s+TABLE|TRUNCATE|MERGE\\s+INTO|DROP\\s+TABLE|ALTER\\s+TABLE)"
          + "\\s+(\\w+\\.)?\"?audit_(log|leaf|checkpoint|checkpoint_note|cosignature)\\b",
      Pattern.CASE_INSENSITIVE);

  static List<String> violations(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = CHANGES_AUDIT_LOG.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  @Test
  void noCodeOrMigrationUpdatesOrDeletesAuditLogRows() throws IOException {
    Path main = Path.of("src", "main");
    List<String> violations = new ArrayList<>();
    List<Path> scanned = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main, FileVisitOption.FOLLOW_LINKS)) {
      files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql"))
          .forEach(f -> {
            scanned.add(f);
            violations(read(f)).forEach(v -> violations.add(f + ": " + v));
          });
    }
    assertThat(scanned).as("the scan saw the audit log's own code and schema")
        .anyMatch(f -> f.endsWith("AuditLog.java"))
        .anyMatch(f -> f.getFileName().toString().startsWith("V1__"));
    assertThat(violations).isEmpty();
  }

  @Test
  void theScanRecognisesStatementsThatWouldChangeTheLog() {
    assertThat(violations("UPDATE audit_log SET outcome = 'x'")).hasSize(1);
    assertThat(violations("delete from AUDIT_LOG where seq = 1")).hasSize(1);
    assertThat(violations("\"TRUNCATE TABLE public.audit_log\"")).hasSize(1);
    assertThat(violations("DELETE FROM audit_leaf WHERE seq = 1")).hasSize(1);
    assertThat(violations("UPDATE audit_checkpoint SET jws = ?")).hasSize(1);
    assertThat(violations("UPDATE audit_counter SET last_seq = ?")).isEmpty();
    assertThat(violations("INSERT INTO audit_log (seq) VALUES (?)")).isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
