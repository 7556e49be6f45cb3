package dk.brobygger.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * conf/brobygger.properties.example in the distribution lists every option, commented, exactly as
 * {@link Options} defines it. When an option changes, regenerate the file with
 * {@code mvn -o verify -pl gateway -am -Dtest=PropertiesExampleTest -Dbrobygger.regenerate=true}.
 */
class PropertiesExampleTest {

  private static final Path EXAMPLE = Path.of("src/main/dist/conf/brobygger.properties.example");

  static String example() {
    StringBuilder text = new StringBuilder()
        .append("# Brobygger gateway configuration: key=value lines. Every option is listed with its default,\n")
        .append("# commented out. Environment variables (BROBYGGER_...) and command-line options (--key value)\n")
        .append("# override this file. Generated from the gateway's options (PropertiesExampleTest).\n");
    for (Option option : Options.ALL) {
      if (option == Options.CONFIG_FILE) {
        continue; // names this file itself
      }
      text.append("\n# ").append(option.description()).append('\n')
          .append("# (environment ").append(option.environmentName()).append(")\n")
          .append('#').append(option.key()).append('=').append(option.defaultValue()).append('\n');
    }
    return text.toString();
  }

  @Test
  void theShippedExampleListsEveryOptionWithItsDefault() throws IOException {
    if (Boolean.getBoolean("brobygger.regenerate")) {
      Files.writeString(EXAMPLE, example(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(EXAMPLE, StandardCharsets.UTF_8))
        .as("regenerate with -Dbrobygger.regenerate=true").isEqualTo(example());
  }

  @Test
  void theExampleWithEveryLineUncommentedIsAValidConfiguration(@org.junit.jupiter.api.io.TempDir Path temp)
      throws IOException {
    Path file = temp.resolve("brobygger.properties");
    StringBuilder uncommented = new StringBuilder();
    for (String line : example().split("\n")) {
      if (line.matches("#[a-z][a-z.-]*=.*")) {
        uncommented.append(line.substring(1)).append('\n');
      }
    }
    // the defaults, plus the one option without a usable default outside development
    uncommented.append("development=true\n");
    Files.writeString(file, uncommented.toString());
    GatewayConfig config = GatewayConfig.load(List.of("--config", file.toString()), Map.of());
    assertThat(config.httpPort()).isEqualTo(8443);
    assertThat(config.operations().port()).isEmpty();
  }
}
