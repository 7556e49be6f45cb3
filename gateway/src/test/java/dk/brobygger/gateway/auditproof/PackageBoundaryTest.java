package dk.brobygger.gateway.auditproof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The verifiable-log core must stay pure so that the privacy officer's verifier can run it without
 * the gateway: no JDBC, Vert.x, Camel or storage code. Only the JDK, Nimbus JOSE and Jackson.
 */
class PackageBoundaryTest {

  private static final Path SOURCES = Path.of("src/main/java/dk/brobygger/gateway/auditproof");
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;", Pattern.MULTILINE);
  private static final List<String> ALLOWED = List.of(
      "java.", "com.nimbusds.", "com.fasterxml.jackson.", "dk.brobygger.gateway.auditproof.");
  private static final List<String> FORBIDDEN = List.of(
      "java.sql", "javax.sql", "io.vertx", "org.apache.camel", "dk.brobygger.gateway.storage");

  @Test
  void everyImportOfThePackageIsFromTheJdkNimbusJacksonOrThePackageItself() throws IOException {
    List<String> violations = new ArrayList<>();
    List<Path> files = sourceFiles();
    for (Path file : files) {
      Matcher imports = IMPORT.matcher(Files.readString(file));
      while (imports.find()) {
        String imported = imports.group(1);
        boolean allowed = ALLOWED.stream().anyMatch(imported::startsWith)
            && FORBIDDEN.stream().noneMatch(imported::startsWith);
        if (!allowed) {
          violations.add(file.getFileName() + " imports " + imported);
        }
      }
    }
    assertThat(files).hasSizeGreaterThan(10);
    assertThat(violations).isEmpty();
  }

  @Test
  void noSourceFileNamesAForbiddenPackageEvenWithoutAnImport() throws IOException {
    List<String> violations = new ArrayList<>();
    for (Path file : sourceFiles()) {
      String source = Files.readString(file);
      for (String forbidden : FORBIDDEN) {
        if (source.contains(forbidden + ".")) {
          violations.add(file.getFileName() + " names " + forbidden);
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theScanSeesAForbiddenImportWhenThereIsOne() {
    Matcher imports = IMPORT.matcher("package x;\n\nimport java.sql.Connection;\nimport static io.vertx.core.Future.succeededFuture;\n");

    assertThat(imports.find()).isTrue();
    assertThat(imports.group(1)).isEqualTo("java.sql.Connection");
    assertThat(imports.find()).isTrue();
    assertThat(imports.group(1)).isEqualTo("io.vertx.core.Future.succeededFuture");
  }

  private static List<Path> sourceFiles() throws IOException {
    assertThat(SOURCES).as("run from the gateway module directory").isDirectory();
    try (Stream<Path> files = Files.list(SOURCES)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
  }
}
