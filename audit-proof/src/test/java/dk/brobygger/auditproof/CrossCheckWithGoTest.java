package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.auditproof.tiles.TileBuilder;
import dk.brobygger.auditproof.tiles.TilePath;
import dk.brobygger.auditproof.tiles.Tiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Somebody else's implementation checks ours: Go's golang.org/x/mod/sumdb/note opens our C2SP
 * checkpoint with our verifier key, and golang.org/x/mod/sumdb/tlog recomputes the root from the
 * entries and checks our inclusion and consistency proofs (src/test/go/crosscheck.go). Needs Debian's
 * golang-go and golang-golang-x-mod-dev (.ci/run installs them); without them the test is skipped
 * with the reason, unless BROBYGGER_REQUIRE_GO=true, when it fails.
 */
class CrossCheckWithGoTest {

  private static final String ORIGIN = "brobygger.example/audit-log";
  private static final Path GO_SOURCES = Path.of("/usr/share/gocode");

  @TempDir Path temp;

  @Test
  void goVerifiesOurCheckpointNoteAndProofs() throws Exception {
    String go = requireGo();
    List<byte[]> leaves = IntStream.range(0, 37)
        .mapToObj(i -> ("{\"seq\":" + (i + 1) + ",\"action\":\"disclosure\",\"recipient\":\"Lægehuset Sydfyn\"}").getBytes(UTF_8))
        .toList();
    MerkleTree tree = MerkleTree.of(leaves.stream().map(MerkleHash::leafHash).toList());
    NoteSigner logKey = CheckpointNoteTest.TestNoteKeys.generate(ORIGIN);
    String checkpoint = CheckpointNote.sign(new Checkpoint(37, tree.root(37), Optional.empty(), ORIGIN), logKey).format();

    ObjectMapper json = new ObjectMapper();
    ObjectNode check = json.createObjectNode()
        .put("verifierKey", logKey.verifier().verifierKey())
        .put("checkpoint", checkpoint)
        .put("origin", ORIGIN)
        .put("index", 21)
        .put("oldSize", 13)
        .put("oldRoot", b64(tree.root(13)));
    leaves.forEach(leaf -> check.withArray("leaves").add(b64(leaf)));
    tree.inclusionProof(21, 37).forEach(h -> check.withArray("inclusion").add(b64(h)));
    tree.consistencyProof(13, 37).forEach(h -> check.withArray("consistency").add(b64(h)));
    Path input = temp.resolve("case.json");
    Files.writeString(input, json.writeValueAsString(check));

    assertThat(runGo(go, input)).isEqualTo("OK");

    // and Go refuses what it must: a changed checkpoint, a proof for another entry
    ObjectNode edited = check.deepCopy().put("checkpoint", checkpoint.replace("\n37\n", "\n36\n"));
    Files.writeString(input, json.writeValueAsString(edited));
    assertThat(runGo(go, input)).contains("note.Open");
    ObjectNode wrongEntry = check.deepCopy().put("index", 22);
    Files.writeString(input, json.writeValueAsString(wrongEntry));
    assertThat(runGo(go, input)).contains("CheckRecord");
  }

  @Test
  void goReadsOurTilesWithItsTileHashReaderAndChecksThemAgainstTheCheckpoint() throws Exception {
    String go = requireGo();
    int size = 70_000; // three levels of tiles, partial at each
    List<byte[]> entries = IntStream.range(0, size)
        .mapToObj(i -> ("{\"seq\":" + (i + 1) + ",\"action\":\"DISCLOSURE_ATTEMPT\"}").getBytes(UTF_8)).toList();
    List<byte[]> leaves = entries.stream().map(MerkleHash::leafHash).toList();
    byte[] root = MerkleTree.of(leaves).root(size);
    Path mirror = temp.resolve("mirror");
    TileBuilder tiles = new TileBuilder((from, to) -> leaves.subList((int) from, (int) to), 64);
    for (TilePath tile : TilePath.forTree(size, true)) {
      Path file = mirror.resolve("tile").resolve(tile.path());
      Files.createDirectories(file.getParent());
      int first = (int) tile.index() * TilePath.FULL_WIDTH;
      Files.write(file, tile.entries() ? Tiles.entryBundle(entries.subList(first, first + tile.width())) : tiles.hashTile(tile));
    }
    NoteSigner logKey = CheckpointNoteTest.TestNoteKeys.generate(ORIGIN);
    String checkpoint = CheckpointNote.sign(new Checkpoint(size, root, Optional.empty(), ORIGIN), logKey).format();
    ObjectMapper json = new ObjectMapper();
    ObjectNode check = json.createObjectNode()
        .put("verifierKey", logKey.verifier().verifierKey())
        .put("checkpoint", checkpoint)
        .put("origin", ORIGIN)
        .put("index", 65_791)
        .put("oldSize", 300)
        .put("mirror", mirror.toString());
    Path input = temp.resolve("tiles.json");
    Files.writeString(input, json.writeValueAsString(check));

    assertThat(runGo(go, input)).isEqualTo("OK");

    // Go's reader refuses a level-1 tile that is not the hash of the level-0 tiles below it
    Path upper = mirror.resolve("tile").resolve(TilePath.hashes(1, 0, 256).path());
    byte[] hashes = Files.readAllBytes(upper);
    hashes[3 * 32] ^= 1;
    Files.write(upper, hashes);
    assertThat(runGo(go, input)).contains("TileHashReader").doesNotContain("OK");
  }

  private String runGo(String go, Path input) throws Exception {
    Path program = Path.of("src/test/go/crosscheck.go").toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder(go, "run", program.toString(), input.toString())
        .redirectErrorStream(true);
    builder.environment().put("GO111MODULE", "off");
    builder.environment().put("GOPATH", GO_SOURCES.toString());
    builder.environment().put("GOCACHE", temp.resolve("gocache").toString());
    builder.environment().put("GOFLAGS", "");
    Process process = builder.start();
    boolean done = process.waitFor(5, TimeUnit.MINUTES);
    assertThat(done).as("go run finished").isTrue();
    return new String(process.getInputStream().readAllBytes(), UTF_8).trim();
  }

  private static String requireGo() {
    List<String> missing = new ArrayList<>();
    Optional<String> go = findOnPath("go");
    if (go.isEmpty()) {
      missing.add("the go command (Debian golang-go)");
    }
    if (!Files.isDirectory(GO_SOURCES.resolve("src/golang.org/x/mod/sumdb/note"))) {
      missing.add("golang.org/x/mod under " + GO_SOURCES + " (Debian golang-golang-x-mod-dev)");
    }
    if (!missing.isEmpty()) {
      String reason = "cross-check with Go skipped: missing " + String.join(" and ", missing);
      if ("true".equals(System.getenv("BROBYGGER_REQUIRE_GO"))) {
        throw new AssertionError(reason + ", and BROBYGGER_REQUIRE_GO=true");
      }
      Assumptions.abort(reason);
    }
    return go.orElseThrow();
  }

  private static Optional<String> findOnPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
