package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash tests' process harness keeps every line a process writes, also the lines it writes after
 * a SIGTERM (a graceful stop's steps): with Process.destroy() the harness lost them ("Stream closed"
 * in its reader), see GatewayProcess. A shell stands in for the gateway: it says it listens, and on
 * SIGTERM writes its stop's steps, then ends.
 */
@EndToEndTest // a process of its own, as the crash tests start the gateway
class GatewayProcessTest {

  @TempDir Path temp;

  @Test
  void theLinesWrittenAfterASigtermAreInTheLogOnceTheStopReturns() throws Exception {
    Path log = temp.resolve("process.log");
    GatewayProcess process = GatewayProcess.startCommand(List.of("sh", "-c",
        "trap 'echo stop: step 1; echo stop: step 2; echo stop: done; exit 0' TERM;"
            + " echo listening on http://127.0.0.1:1; while :; do sleep 0.05; done"), log);
    process.awaitListening(Duration.ofSeconds(30));

    assertThat(process.stop(Duration.ofSeconds(30))).isZero();

    assertThat(Files.readAllLines(log)).containsSubsequence("listening on http://127.0.0.1:1", "stop: step 1",
        "stop: step 2", "stop: done");
  }
}
