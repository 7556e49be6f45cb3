package dk.brobygger.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
}
