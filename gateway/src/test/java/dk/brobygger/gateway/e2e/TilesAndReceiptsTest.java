package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.auditproof.tiles.TilePath;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log as c2sp.org/tlog-tiles and a disclosure's receipt, through the real gateway: the privacy
 * officer mirrors the tiles and the stand-alone verifier checks the mirror against the checkpoint;
 * the delivered Task links its receipt, and the verifier checks it offline.
 */
@EndToEndTest
class TilesAndReceiptsTest {

  private static final String JSON = "application/fhir+json";
  private static final String CITIZEN = CitizenIdentifier.CPR + "%7C" + Fixtures.CPR;

  @TempDir Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;
  private TestGateway officer;
  private Task delivered;

  @BeforeEach
  void aReferralIsDelivered() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    gateway = TestGateway.start(temp.resolve("data"), Map.of("laegehuset-sydfyn", "http://localhost:" + recipients.port() + "/gp"));
    officer = gateway.as(SampleParty.PRIVACY_OFFICER);
    assertThat(gateway.post("/Consent", JSON, Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR)))
        .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);
    String taskId = Fixtures.taskOf(gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR))))
        .getIdElement().getIdPart();
    delivered = await("delivery").atMost(Duration.ofSeconds(20))
        .until(() -> Fixtures.FHIR.newJsonParser().parseResource(Task.class, gateway.get("/Task/" + taskId).body()),
        task -> task.getStatus() == Task.TaskStatus.COMPLETED);
  }

  @AfterEach
  void stop() {
    gateway.close();
    recipients.stop();
  }

  @Test
  void aMirrorOfTheTilesVerifiesOfflineAgainstTheCheckpointAndAnEditedTileDoesNot() throws Exception {
    for (int i = 0; i < 300; i++) { // more than one full tile of entries
      assertThat(officer.getAt("/audit/report?patient=" + CITIZEN).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> checkpoint = officer.getAt("/audit/checkpoint?fresh=true");
    assertThat(checkpoint.statusCode()).as(checkpoint.body()).isEqualTo(200);
    assertThat(checkpoint.headers().firstValue("Cache-Control")).hasValue("no-cache");
    long size = Long.parseLong(checkpoint.body().split("\n")[1]);
    assertThat(size).isGreaterThan(300);
    Path mirror = temp.resolve("mirror");
    Files.createDirectories(mirror);
    Files.writeString(mirror.resolve("checkpoint"), checkpoint.body());
    for (TilePath tile : TilePath.forTree(size, true)) {
      HttpResponse<byte[]> served = officer.getBytesAt("/audit/tile/" + tile.path());
      assertThat(served.statusCode()).as(tile.path()).isEqualTo(200);
      assertThat(served.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
      assertThat(served.headers().firstValue("Cache-Control")).as(tile.path()).hasValue(
          (tile.entries() ? "private, " : "") + (tile.isFull() ? "max-age=31536000, immutable" : "max-age=60"));
      Path file = mirror.resolve("tile").resolve(tile.path());
      Files.createDirectories(file.getParent());
      Files.write(file, served.body());
    }
    Path logKey = Files.writeString(temp.resolve("log.vkey"), officer.getAt("/audit/key").body());

    Run verified = cli("tiles", "--mirror", mirror.toString(), "--log-key", logKey.toString(), "--entries");
    assertThat(verified.exit()).as(verified.output()).isEqualTo(AuditCli.VERIFIED);
    assertThat(verified.output()).contains(size + " entries from entry bundles match");

    Path bundle = mirror.resolve("tile").resolve(TilePath.entryBundle(0, 256).path());
    String edited = new String(Files.readAllBytes(bundle), StandardCharsets.ISO_8859_1).replaceFirst("permit", "permix");
    Files.write(bundle, edited.getBytes(StandardCharsets.ISO_8859_1));
    Run tampered = cli("tiles", "--mirror", mirror.toString(), "--log-key", logKey.toString(), "--entries");
    assertThat(tampered.exit()).isEqualTo(AuditCli.NOT_VERIFIED);
    assertThat(tampered.output()).contains("does not hash to its leaf hash");
  }

  @Test
  void tilesPastTheCheckpointBadTilePathsAndOtherPartiesAreRefused() {
    long size = Long.parseLong(officer.getAt("/audit/checkpoint?fresh=true").body().split("\n")[1]);

    assertThat(size).as("a partial tile one wider than the tree exists").isLessThan(255);
    HttpResponse<String> beyond = officer.getAt("/audit/tile/" + TilePath.hashes(0, 0, (int) size + 1).path());
    assertThat(beyond.statusCode()).as(beyond.body()).isEqualTo(404);
    assertThat(beyond.body()).contains("OperationOutcome").contains("the newest checkpoint covers " + size);
    HttpResponse<String> full = officer.getAt("/audit/tile/0/000");
    assertThat(full.statusCode()).isEqualTo(404);
    HttpResponse<String> badPath = officer.getAt("/audit/tile/0/1");
    assertThat(badPath.statusCode()).isEqualTo(422);
    assertThat(badPath.body()).contains("OperationOutcome").contains("is not a tile path");
    assertThat(officer.getAt("/audit/tile/0/000.p/256").statusCode()).isEqualTo(422);
    assertThat(officer.getAt("/audit/tile/0/000.p/1?x=1").statusCode()).isEqualTo(422);
    assertThat(gateway.as(SampleParty.GP).getAt("/audit/tile/0/000.p/1").statusCode()).isEqualTo(403);
    assertThat(gateway.as(SampleParty.GP).getAt("/audit/tile/entries/000.p/1").statusCode()).isEqualTo(403);
    assertThat(gateway.anonymous().getAt("/audit/tile/0/000.p/1").statusCode()).isEqualTo(401);
  }

  @Test
  void theDeliveredTaskAndTheReportLinkAReceiptThatVerifiesOffline() throws Exception {
    String link = delivered.getOutput().stream()
        .filter(output -> output.getType().getCodingFirstRep().getCode().equals("disclosure-receipt"))
        .map(output -> ((UriType) output.getValue()).getValue()).findFirst().orElseThrow();
    String messageId = delivered.getFocus().getIdentifier().getValue();
    assertThat(link).startsWith("/audit/receipt?message=");
    JsonNode report = new ObjectMapper().readTree(officer.getAt("/audit/report?patient=" + CITIZEN).body());
    assertThat(report.get("disclosures").get(0).get("receipt").asText()).isEqualTo(link);
    assertThat(officer.getAt("/audit/report?patient=" + CITIZEN + "&format=html").body()).contains("bevis");

    HttpResponse<String> receipt = officer.getAt(link);
    assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
    assertThat(receipt.body()).startsWith("c2sp.org/tlog-proof@v1\nextra ");
    Path receiptFile = Files.writeString(temp.resolve("receipt.tlog-proof"), receipt.body());
    Path logKey = Files.writeString(temp.resolve("log.vkey"), officer.getAt("/audit/key").body());

    Run verified = cli("receipt", "--receipt", receiptFile.toString(), "--log-key", logKey.toString());
    assertThat(verified.exit()).as(verified.output()).isEqualTo(AuditCli.VERIFIED);
    assertThat(verified.output()).contains("DISCLOSURE_ATTEMPT").contains("delivered").contains(messageId);

    assertThat(officer.getAt("/audit/receipt?message=no-such-message").statusCode()).isEqualTo(404);
    assertThat(officer.getAt("/audit/receipt").statusCode()).isEqualTo(422);
    assertThat(gateway.as(SampleParty.GP).getAt(link).statusCode()).isEqualTo(403);
  }

  private record Run(int exit, String output) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("audit"));
    all.addAll(List.of(args));
    int exit = AuditCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }
}
