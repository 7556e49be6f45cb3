package dk.brobygger.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.delivery.seal.SealingSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options as the operator writes them, checked as a whole before anything starts. */
class GatewayConfigTest {

  @TempDir Path temp;

  private GatewayConfig load(String... args) {
    List<String> all = new ArrayList<>(List.of("--data.dir", temp.resolve("data").toString()));
    all.addAll(List.of(args));
    return GatewayConfig.load(all, Map.of());
  }

  @Test
  void aBooleanOptionTakesTrueOrFalseAfterItWithAnEqualsSignOrNothing() {
    assertThat(load("--development", "true").development()).isTrue();
    assertThat(load("--development=true").development()).isTrue();
    assertThat(load("--development").development()).isTrue();
    assertThat(load("--development", "--http.tls", "false").tls()).isFalse();
    assertThat(load("--development", "--http.tls=false").tls()).isFalse();
    assertThat(load("--development", "--demo", "false").demo()).isFalse();
    assertThat(load("--demo", "--http.port", "0").demo()).isTrue();
  }

  @Test
  void aValueThatIsNoBooleanAfterAFlagIsStillAnUnexpectedArgument() {
    assertThatThrownBy(() -> load("--development", "yes"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("unexpected argument 'yes'");
  }

  @Test
  void keysAlgorithmIsP256UnlessEd25519IsNamedAndAnythingElseIsRefusedNamingTheChoices() {
    assertThat(load("--development").sealingSuite()).isEqualTo(SealingSuite.P256);
    assertThat(load("--development", "--keys.algorithm", "ed25519").sealingSuite()).isEqualTo(SealingSuite.ED25519);
    assertThatThrownBy(() -> load("--development", "--keys.algorithm", "rsa"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessage("option keys.algorithm (BROBYGGER_KEYS_ALGORITHM) is 'rsa': must be one of [p256, ed25519]");
  }

  @Test
  void outsideDemoAndDevelopmentADirectoryFileIsRequired() {
    assertThatThrownBy(() -> load())
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("option directory.file (BROBYGGER_DIRECTORY_FILE) is required")
        .hasMessageContaining("--demo or --development");
  }

  @Test
  void aLeaseNoLongerThanConnectPlusResponseTimeoutIsRefused() {
    assertThatThrownBy(() -> load("--development", "--delivery.lease", "PT1S"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessage("option delivery.lease (PT1S) must be longer than delivery.connect-timeout + delivery.response-timeout (PT35S)");
    assertThatThrownBy(() -> load("--development", "--delivery.lease", "PT35S"))
        .isInstanceOf(ConfigurationError.class);
    assertThat(load("--development", "--delivery.lease", "PT36S").lease()).hasSeconds(36);
  }

  @Test
  void everyProblemIsReportedOneLineEachNamingItsOption() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("file"), "x");

    assertThatThrownBy(() -> load("--development",
        "--db.pool-size", "0",
        "--http.port", "70000",
        "--delivery.poll-interval", "PT0S",
        "--delivery.jitter", "2",
        "--auth.token-lifetime", "-PT5M",
        "--delivery.initial-backoff", "soon",
        "--directory.file", temp.resolve("missing.json").toString(),
        "--keys.dir", notADirectory.toString(),
        "--http.public-base-url", "gateway.example"))
        .isInstanceOf(ConfigurationError.class)
        .satisfies(e -> assertThat(e.getMessage().split("\n")).satisfiesExactlyInAnyOrder(
            line -> assertThat(line).startsWith("option db.pool-size (BROBYGGER_DB_POOL_SIZE) is '0': must be within 1..1000"),
            line -> assertThat(line).startsWith("option http.port (BROBYGGER_HTTP_PORT) is '70000': must be within 0..65535"),
            line -> assertThat(line).startsWith("option delivery.poll-interval").contains("longer than zero"),
            line -> assertThat(line).startsWith("option delivery.jitter").contains("0..1"),
            line -> assertThat(line).startsWith("option auth.token-lifetime").contains("longer than zero"),
            line -> assertThat(line).startsWith("option delivery.initial-backoff").contains("ISO-8601"),
            line -> assertThat(line).startsWith("option directory.file").contains("names no file"),
            line -> assertThat(line).startsWith("option keys.dir").contains("names no directory"),
            line -> assertThat(line).startsWith("option http.public-base-url").contains("absolute http(s) URL")));
  }

  @Test
  void theDefaultsWithAModeAreAValidConfiguration() {
    GatewayConfig config = load("--demo");

    assertThat(config.directoryFile()).isEmpty();
    assertThat(config.clientLimits().refusalsPerMinute()).isEqualTo(30);
    assertThat(config.lease()).isGreaterThan(config.delivery().connectTimeout().plus(config.delivery().responseTimeout()));
  }
}
