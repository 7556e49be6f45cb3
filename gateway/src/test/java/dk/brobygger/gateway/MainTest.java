package dk.brobygger.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.config.CommandLineOptions;
import dk.brobygger.gateway.config.Option;
import dk.brobygger.gateway.config.Options;
import dk.brobygger.keys.TrustSetLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, as an operator uses it. */
class MainTest {

  @TempDir Path temp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryOptionWithItsEnvironmentVariable() {
    assertThat(run("--help")).isZero();

    String help = out.toString(StandardCharsets.UTF_8);
    for (Option option : Options.ALL) {
      assertThat(help).contains(option.commandLineFlag()).contains(option.environmentName());
    }
    assertThat(help).contains("keys generate --out DIR");
  }

  @Test
  void keysGenerateWritesAFreshKeySetTheGatewayCanLoad() {
    Path keys = temp.resolve("keys");

    assertThat(run("keys", "generate", "--out", keys.toString())).isZero();

    assertThat(keys.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS)).isRegularFile();
    assertThat(keys.resolve(TrustSetLayout.SERVER_CERTIFICATE)).isRegularFile();
    assertThat(keys.resolve(TrustSetLayout.CA_CERTIFICATE)).isRegularFile();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--keys.dir " + keys);
  }

  @Test
  void keysGenerateRefusesToOverwriteAnExistingSetUnlessTold() throws Exception {
    Path keys = temp.resolve("keys");
    assertThat(run("keys", "generate", "--out", keys.toString())).isZero();
    byte[] before = Files.readAllBytes(keys.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS));

    assertThat(run("keys", "generate", "--out", keys.toString())).isEqualTo(1);
    assertThat(Files.readAllBytes(keys.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS))).isEqualTo(before);
    assertThat(run("keys", "generate", "--out", keys.toString(), "--overwrite")).isZero();
    assertThat(Files.readAllBytes(keys.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS))).isNotEqualTo(before);
  }

  @Test
  void aMisspeltOptionStopsTheGatewayWithExitCode2() {
    assertThat(run("--http.prot", "9000")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option 'http.prot'");
  }

  @Test
  void aLeaseShorterThanAnAttemptStopsTheGatewayWithOneLineAndExitCode2() {
    assertThat(run("--development", "--data.dir", temp.resolve("data").toString(), "--delivery.lease", "PT1S",
        "--delivery.response-timeout", "PT30S")).isEqualTo(2);

    assertThat(errorLines()).containsExactly(
        "brobygger: option delivery.lease (PT1S) must be longer than delivery.connect-timeout + delivery.response-timeout (PT35S)");
  }

  @Test
  void aPoolOfNoConnectionsIsAConfigurationErrorNotAStackTrace() {
    assertThat(run("--development", "--data.dir", temp.resolve("data").toString(), "--db.pool-size", "0")).isEqualTo(2);

    assertThat(errorLines()).containsExactly(
        "brobygger: option db.pool-size (BROBYGGER_DB_POOL_SIZE) is '0': must be within 1..1000");
  }

  @Test
  void withoutAModeTheGatewayRefusesToStartWithoutADirectoryFile() {
    assertThat(run("--data.dir", temp.resolve("data").toString())).isEqualTo(2);

    assertThat(errorLines()).singleElement().asString()
        .startsWith("brobygger: option directory.file (BROBYGGER_DIRECTORY_FILE) is required");
  }

  @Test
  void severalMistakesAreReportedTogetherOneLineEach() {
    assertThat(run("--development", "--data.dir", temp.resolve("data").toString(), "--http.port", "-1",
        "--delivery.max-age", "PT0S")).isEqualTo(2);

    assertThat(errorLines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("brobygger: option "));
  }

  @Test
  void helpShowsThatBooleanOptionsTakeTrueOrFalse() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--development [true|false]").contains("--demo [true|false]");
  }

  @Test
  void aPortInUseIsAConfigurationErrorNamingTheOption() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(run("--development", "--data.dir", temp.resolve("data").toString(),
          "--http.port", String.valueOf(taken.getLocalPort()))).isEqualTo(2);

      assertThat(errorLines()).singleElement().asString()
          .startsWith("brobygger: option http.port (BROBYGGER_HTTP_PORT) is '" + taken.getLocalPort() + "': cannot listen on");
    }
  }

  @Test
  void everyOptionTheHelpListsIsOneTheParserAccepts() {
    assertThat(run("--help")).isZero();

    List<String> listed = out.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("  --"))
        .map(line -> line.strip().split(" ")[0])
        .toList();
    assertThat(listed).containsExactlyElementsOf(Options.ALL.stream().map(Option::commandLineFlag).toList());
    for (String flag : listed) {
      assertThat(CommandLineOptions.given(Main.commandLine().parseArgs(flag + "=true")))
          .containsOnlyKeys(flag.substring(2));
    }
  }

  @Test
  void runIsTheDefaultCommandAndTakesTheSameOptions() {
    assertThat(run("run", "--http.prot", "9000")).isEqualTo(2);
    assertThat(run("run", "--data.dir", temp.resolve("data").toString())).isEqualTo(2);

    assertThat(errorLines()).satisfiesExactly(
        line -> assertThat(line).isEqualTo("brobygger run: unknown option 'http.prot' in command line (see --help)"),
        line -> assertThat(line).startsWith("brobygger: option directory.file (BROBYGGER_DIRECTORY_FILE) is required"));
  }

  @Test
  void aUsageMistakeInASubcommandIsOneLineNamingItAndExitCode2() {
    assertThat(run("keys", "generate")).isEqualTo(2);
    assertThat(run("keys", "generate", "--out")).isEqualTo(2);
    assertThat(run("keys")).isEqualTo(2);

    assertThat(errorLines()).hasSize(3).satisfiesExactly(
        line -> assertThat(line).startsWith("brobygger keys generate: ").contains("'--out DIR'"),
        line -> assertThat(line).startsWith("brobygger keys generate: ").contains("'--out'"),
        line -> assertThat(line).startsWith("brobygger keys: missing command"));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theGatewaysOptionsBeforeACommandAreAUsageMistake() {
    assertThat(run("--demo", "keys", "generate", "--out", temp.resolve("keys").toString())).isEqualTo(2);

    assertThat(errorLines()).containsExactly("brobygger: the gateway's options go after 'keys' (see --help)");
    assertThat(temp.resolve("keys")).doesNotExist();
  }

  @Test
  void eachCommandHasItsOwnHelp() {
    assertThat(run("keys", "generate", "--help")).isZero();
    assertThat(run("run", "--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Usage: brobygger keys generate --out DIR [--overwrite]")
        .contains("Usage: brobygger run [OPTIONS]")
        .contains("--delivery.lease VALUE");
  }

  @Test
  void auditAndWitnessKeepTheVerifiersOwnParser() {
    assertThat(run("audit")).isEqualTo(2);
    assertThat(run("witness", "--name")).isEqualTo(2);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Usage: brobygger audit verify --export FILE")
        .contains("witness: --name needs a value");
  }

  @Test
  void auditAndWitnessPrintTheirUsageOnHelp() {
    assertThat(run("audit", "--help")).isZero();
    assertThat(run("witness", "--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Usage: brobygger audit verify --export FILE")
        .contains("Usage: brobygger witness --name NAME");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private List<String> errorLines() {
    return err.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
