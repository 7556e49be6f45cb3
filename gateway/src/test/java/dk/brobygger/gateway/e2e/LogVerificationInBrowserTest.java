package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.MerkleHash;
import dk.brobygger.auditproof.MerkleTree;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.Cosigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.EdECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's log verifier (log-verifier.js, log-verification.js) in real Chromium, on a
 * throw-away page: a genuine signed checkpoint and genuine inclusion paths verify every entry, and
 * each kind of tampering (the entry's bytes, a path node, the root, the signature, another key)
 * marks what it touches as not verified; witnesses' cosignatures count only by the policy's keys
 * and over this checkpoint's text.
 */
@EndToEndTest
@ExtendWith(Chromium.class)
class LogVerificationInBrowserTest {

  private static final String ORIGIN = "brobygger.test/audit-log";
  private static final String SCRIPTS = "/dk/brobygger/gateway/console/officer/";
  /** A key whose base64 holds a "+", the verifier key's separator (a reader that splits on every "+" fails). */
  private static final NoteSigner LOG_KEY = Stream.generate(() -> noteKey(ORIGIN))
      .filter(key -> key.verifier().verifierKey().split("\\+").length > 3).findFirst().orElseThrow();
  private static final List<String> ENTRIES = IntStream.rangeClosed(1, 7).mapToObj(seq -> "{\"seq\":" + seq
      + ",\"action\":\"DISCLOSURE_ATTEMPT\",\"at\":\"2026-11-30T10:0" + seq + ":00Z\",\"actor\":\"Åse Ærø (gadesygeplejerske)\""
      + ",\"outcome\":\"delivered\",\"reasons\":[\"removed before sending: ETH\"]}").toList();
  private static final MerkleTree TREE = MerkleTree.of(ENTRIES.stream()
      .map(e -> MerkleHash.leafHash(e.getBytes(StandardCharsets.UTF_8))).toList());

  /**
   * What the throw-away server shows: the page's entries, the checkpoint and the paths, and the
   * witness policy's keys (space-separated; empty for none) and quorum the page is configured with.
   */
  private record Shown(String pinnedKey, List<String> entries, String checkpoint, Map<Integer, List<String>> paths,
      String witnessKeys, int witnessQuorum) {
    Shown(String pinnedKey, List<String> entries, String checkpoint, Map<Integer, List<String>> paths) {
      this(pinnedKey, entries, checkpoint, paths, "", 0);
    }
  }

  private static volatile Shown shown;
  private static HttpServer server;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/log-verifier.js", exchange -> script(exchange, "log-verifier.js"));
    server.createContext("/log-verification.js", exchange -> script(exchange, "log-verification.js"));
    server.createContext("/page", exchange -> answer(exchange, "text/html; charset=utf-8", page(shown)));
    server.createContext("/checkpoint", exchange -> answer(exchange, "text/plain; charset=utf-8", shown.checkpoint()));
    server.createContext("/proofs", exchange -> answer(exchange, "application/json", proofs(shown, exchange)));
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void everyEntryOfAnUntouchedLogIsVerified(Browser browser) {
    Map<Integer, String> verdicts = open(browser, genuine(), "log-verification-good");
    assertThat(verdicts).hasSize(7).allSatisfy((index, verdict) -> assertThat(verdict).isEqualTo("yes"));
    assertThat(browser.find(By.cssSelector("[data-verification-summary]")).getText())
        .startsWith("7 af 7 poster verificeret");
    assertThat(browser.find(By.cssSelector("[data-witness-summary]")).getText()).startsWith("Ingen vidner er sat op");
  }

  @Test
  void aCheckpointCosignedByThePolicysQuorumOfWitnessesSaysSo(Browser browser) {
    Cosigner odder = witnessKey("witness.odder.test/w1");
    Cosigner brondby = witnessKey("witness.brondby.test/w1");
    String note = cosigned(genuine().checkpoint(), odder, brondby);
    Shown page = new Shown(genuine().pinnedKey(), ENTRIES, note, genuine().paths(),
        odder.verifier().verifierKey() + " " + brondby.verifier().verifierKey(), 2);

    Map<Integer, String> verdicts = open(browser, page, "log-verification-cosigned");

    assertThat(verdicts.values()).hasSize(7).containsOnly("yes");
    assertThat(browser.find(By.cssSelector("[data-witness-summary]")).getText())
        .startsWith("Medunderskrevet af 2 vidner").contains("witness.odder.test/w1", "witness.brondby.test/w1");
    assertThat(browser.find(By.cssSelector("[data-log-verification]")).getDomAttribute("data-witnesses")).isEqualTo("yes");
  }

  @Test
  void cosignaturesByAKeyOutsideThePolicyOrOverAnotherTextDoNotCount(Browser browser) {
    Cosigner odder = witnessKey("witness.odder.test/w1");
    Cosigner brondby = witnessKey("witness.brondby.test/w1");
    Cosigner impostor = witnessKey("witness.brondby.test/w1"); // Brøndby's name, another key
    Cosigner rodovre = witnessKey("witness.rodovre.test/w1");
    String note = cosigned(genuine().checkpoint(), odder, impostor);
    // Rødovre's cosignature is over another checkpoint's text, copied onto this one
    String other = CheckpointNote.sign(new Checkpoint(5, TREE.root(5), java.time.Instant.EPOCH, ORIGIN), LOG_KEY).format();
    note = SignedNote.parse(note).withSignature(rodovre.cosign(SignedNote.parse(other).text(), 1_764_547_200L)).format();
    Shown page = new Shown(genuine().pinnedKey(), ENTRIES, note, genuine().paths(), odder.verifier().verifierKey()
        + " " + brondby.verifier().verifierKey() + " " + rodovre.verifier().verifierKey(), 2);

    Map<Integer, String> verdicts = open(browser, page, "log-verification-too-few-witnesses");

    // the log's own signature still holds: the entries are verified, the witnesses' quorum is not met
    assertThat(verdicts.values()).hasSize(7).containsOnly("yes");
    assertThat(browser.find(By.cssSelector("[data-witness-summary]")).getText())
        .startsWith("Ikke medunderskrevet af vidner nok: 1 af de 2");
    assertThat(browser.find(By.cssSelector("[data-log-verification]")).getDomAttribute("data-witnesses")).isEqualTo("no");
  }

  @Test
  void anEntryWhoseBytesWereChangedIsNotVerifiedAndTheOthersAre(Browser browser) {
    List<String> edited = new ArrayList<>(ENTRIES);
    edited.set(3, edited.get(3).replace("delivered", "cancelled"));
    Shown page = new Shown(LOG_KEY.verifier().verifierKey(), edited, genuine().checkpoint(), genuine().paths());
    Map<Integer, String> verdicts = open(browser, page, "log-verification-entry-edited");
    assertThat(verdicts).containsEntry(3, "no").containsEntry(0, "yes").containsEntry(6, "yes");
    assertThat(verdicts.values()).containsOnlyOnce("no");
    assertThat(verdictText(browser, 3)).contains("fører ikke til den signerede rod");
  }

  @Test
  void anEntryWhoseInclusionPathWasChangedIsNotVerified(Browser browser) {
    Map<Integer, List<String>> paths = new LinkedHashMap<>(genuine().paths());
    List<String> path = new ArrayList<>(paths.get(5));
    path.set(1, flipped(path.get(1)));
    paths.put(5, path);
    Map<Integer, String> verdicts = open(browser, new Shown(genuine().pinnedKey(), ENTRIES, genuine().checkpoint(), paths),
        "log-verification-path-edited");
    assertThat(verdicts).containsEntry(5, "no");
    assertThat(verdicts.values()).containsOnlyOnce("no");
  }

  @Test
  void aCheckpointWhoseRootWasChangedVerifiesNothing(Browser browser) {
    String note = genuine().checkpoint();
    String root = Base64.getEncoder().encodeToString(TREE.root(7));
    Shown page = new Shown(genuine().pinnedKey(), ENTRIES, note.replace(root, flipped(root)), genuine().paths());
    Map<Integer, String> verdicts = open(browser, page, "log-verification-root-edited");
    assertThat(verdicts.values()).hasSize(7).containsOnly("no");
    assertThat(verdictText(browser, 0)).contains("signatur passer ikke med den fastlagte lognøgle");
  }

  @Test
  void aCheckpointWhoseSignatureWasChangedVerifiesNothing(Browser browser) {
    String note = genuine().checkpoint();
    String signature = note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
    Shown page = new Shown(genuine().pinnedKey(), ENTRIES, note.replace(signature, flipped(signature)), genuine().paths());
    assertThat(open(browser, page, "log-verification-signature-edited").values()).hasSize(7).containsOnly("no");
  }

  @Test
  void aCheckpointSignedByAnotherKeyOfTheSameNameVerifiesNothing(Browser browser) {
    String forged = CheckpointNote.sign(new Checkpoint(7, TREE.root(7), java.time.Instant.EPOCH, ORIGIN), noteKey(ORIGIN))
        .format();
    Map<Integer, String> verdicts = open(browser, new Shown(genuine().pinnedKey(), ENTRIES, forged, genuine().paths()),
        "log-verification-wrong-key");
    assertThat(verdicts.values()).hasSize(7).containsOnly("no");
    assertThat(verdictText(browser, 0)).contains("ikke signeret med den fastlagte lognøgle");
  }

  @Test
  void aCorrectlySignedCheckpointOfAnotherHistoryVerifiesNoEntry(Browser browser) {
    List<String> other = new ArrayList<>(ENTRIES);
    other.set(0, other.get(0).replace("Åse", "Per"));
    MerkleTree otherTree = MerkleTree.of(other.stream().map(e -> MerkleHash.leafHash(e.getBytes(StandardCharsets.UTF_8))).toList());
    String note = CheckpointNote.sign(new Checkpoint(7, otherTree.root(7), java.time.Instant.EPOCH, ORIGIN), LOG_KEY).format();
    Map<Integer, String> verdicts = open(browser, new Shown(genuine().pinnedKey(), ENTRIES, note, genuine().paths()),
        "log-verification-other-history");
    // the shown entries and their paths lead to the true root, which is not the one signed
    assertThat(verdicts.values()).hasSize(7).containsOnly("no");
  }

  @Test
  void entriesThatNoCheckpointCoversYetAreNotVerified(Browser browser) {
    String note = CheckpointNote.sign(new Checkpoint(5, TREE.root(5), java.time.Instant.EPOCH, ORIGIN), LOG_KEY).format();
    Map<Integer, List<String>> paths = IntStream.range(0, 5).boxed()
        .collect(Collectors.toMap(i -> i, i -> base64(TREE.inclusionProof(i, 5))));
    Map<Integer, String> verdicts = open(browser, new Shown(genuine().pinnedKey(), ENTRIES, note, paths), "log-verification-not-covered");
    assertThat(verdicts).containsEntry(0, "yes").containsEntry(4, "yes").containsEntry(5, "no").containsEntry(6, "no");
    assertThat(verdictText(browser, 6)).contains("intet signeret kontrolpunkt dækker posten endnu");
  }

  private static Shown genuine() {
    String note = CheckpointNote.sign(new Checkpoint(7, TREE.root(7), java.time.Instant.EPOCH, ORIGIN), LOG_KEY).format();
    Map<Integer, List<String>> paths = IntStream.range(0, 7).boxed()
        .collect(Collectors.toMap(i -> i, i -> base64(TREE.inclusionProof(i, 7))));
    return new Shown(LOG_KEY.verifier().verifierKey(), ENTRIES, note, paths);
  }

  /** Opens the page, waits until the verifier has marked every entry, and returns index -> yes/no. */
  private static Map<Integer, String> open(Browser browser, Shown page, String screenshot) {
    shown = page;
    browser.open("http://127.0.0.1:" + server.getAddress().getPort() + "/page");
    browser.await("the verifier marks every entry", d ->
        "yes".equals(d.findElement(By.cssSelector("[data-log-verification]")).getDomAttribute("data-verification-done")));
    browser.screenshot(screenshot);
    Map<Integer, String> verdicts = new LinkedHashMap<>();
    for (WebElement entry : browser.findAll(By.cssSelector("[data-log-index]"))) {
      verdicts.put(Integer.valueOf(entry.getDomAttribute("data-log-index")), entry.getDomAttribute("data-verified"));
    }
    return verdicts;
  }

  private static String verdictText(Browser browser, int index) {
    return browser.find(By.cssSelector("[data-log-index='" + index + "'] [data-verification]")).getText();
  }

  private static String page(Shown page) {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"da\"><head><meta charset=\"utf-8\"><title>Log</title>"
        + "<script type=\"module\" src=\"/log-verification.js\"></script></head><body>"
        + "<section data-log-verification data-log-key=\"" + page.pinnedKey() + "\" data-checkpoint-url=\"/checkpoint\""
        + " data-proofs-url=\"/proofs\" data-witness-keys=\"" + page.witnessKeys() + "\" data-witness-quorum=\""
        + page.witnessQuorum() + "\"><p data-verification-summary></p><p data-witness-summary></p><ol>");
    for (int i = 0; i < page.entries().size(); i++) {
      html.append("<li data-log-index=\"").append(i).append("\"><code data-canonical>")
          .append(page.entries().get(i).replace("&", "&amp;").replace("<", "&lt;"))
          .append("</code> <span data-verification>…</span></li>");
    }
    return html.append("</ol></section></body></html>").toString();
  }

  private static String proofs(Shown page, HttpExchange exchange) {
    List<Integer> asked = Arrays.stream(exchange.getRequestURI().getQuery().split("&"))
        .filter(p -> p.startsWith("index=")).map(p -> Integer.valueOf(p.substring(6))).toList();
    String proofs = asked.stream().filter(page.paths()::containsKey)
        .map(i -> "{\"index\":" + i + ",\"hashes\":[" + page.paths().get(i).stream().map(h -> "\"" + h + "\"")
            .collect(Collectors.joining(",")) + "]}")
        .collect(Collectors.joining(","));
    return "{\"proofs\":[" + proofs + "]}";
  }

  private static void script(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = LogVerificationInBrowserTest.class.getResourceAsStream(SCRIPTS + name)) {
      answer(exchange, "text/javascript; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void answer(HttpExchange exchange, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static List<String> base64(List<byte[]> hashes) {
    return hashes.stream().map(Base64.getEncoder()::encodeToString).toList();
  }

  /** The same base64 text with one bit of its first byte changed. */
  private static String flipped(String base64) {
    byte[] bytes = Base64.getDecoder().decode(base64);
    bytes[0] ^= 0x01;
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The note with each witness's cosignature added (at 1 December 2025, 00:00 UTC). */
  private static String cosigned(String note, Cosigner... witnesses) {
    SignedNote signed = SignedNote.parse(note);
    for (Cosigner witness : witnesses) {
      signed = signed.withSignature(witness.cosign(signed.text(), 1_764_547_200L));
    }
    return signed.format();
  }

  private static Cosigner witnessKey(String name) {
    byte[][] pair = ed25519();
    return new Cosigner(name, pair[0], pair[1]);
  }

  private static NoteSigner noteKey(String name) {
    byte[][] pair = ed25519();
    return new NoteSigner(name, pair[0], pair[1]);
  }

  /** A fresh Ed25519 key pair as {seed, 32-byte public key}. */
  private static byte[][] ed25519() {
    try {
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      return new byte[][] {((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(),
          Arrays.copyOfRange(spki, spki.length - 32, spki.length)};
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
