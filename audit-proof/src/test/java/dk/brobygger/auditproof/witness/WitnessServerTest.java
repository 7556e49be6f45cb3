package dk.brobygger.auditproof.witness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.Witness.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brobygger witness}: the witness over HTTP, with a key it makes itself and its record on disk. */
class WitnessServerTest {

  @TempDir Path temp;

  @Test
  void theWitnessCommandCosignsOverHttpAndRefusesARollbackAfterARestart() throws Exception {
    List<String> args = List.of("witness", "--name", "witness.odder.example/w1", "--key", temp.resolve("w.jwks").toString(),
        "--log", WitnessTest.LOG.verifier().verifierKey(), "--state", temp.resolve("state").toString(), "--port", "0");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpServer server = WitnessCli.start(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err).orElseThrow();
    String vkey = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring("witness ".length());
    HttpResponse<String> first;
    try {
      first = post(server, Request.body(0, List.of(), WitnessTest.note(WitnessTest.TREE, 13)));
      HttpResponse<String> grown = post(server, Request.body(13, ConsistencyProof.of(WitnessTest.TREE, 13, 20).hashes(),
          WitnessTest.note(WitnessTest.TREE, 20)));
      assertThat(grown.statusCode()).as(grown.body()).isEqualTo(200);
    } finally {
      server.stop(0);
    }
    HttpServer restarted = WitnessCli.start(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        System.err).orElseThrow();
    try {
      HttpResponse<String> rollback = post(restarted, Request.body(0, List.of(), WitnessTest.note(WitnessTest.TREE, 13)));

      assertThat(rollback.statusCode()).isEqualTo(409);
      assertThat(rollback.headers().firstValue("Content-Type")).hasValue("text/x.tlog.size");
      assertThat(rollback.body()).isEqualTo("20\n");
    } finally {
      restarted.stop(0);
    }
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    SignedNote cosigned = SignedNote.parse(WitnessTest.note(WitnessTest.TREE, 13) + first.body());
    WitnessPolicy policy = WitnessPolicy.parse("witness " + vkey + "\nquorum 1\n");
    policy.requireQuorum(cosigned);
    assertThat(Files.readString(temp.resolve("w.jwks"))).contains("\"crv\":\"Ed25519\"");
  }

  private static HttpResponse<String> post(HttpServer server, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/add-checkpoint"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
