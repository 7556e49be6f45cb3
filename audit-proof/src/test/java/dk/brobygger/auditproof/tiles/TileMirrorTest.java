package dk.brobygger.auditproof.tiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.InvalidProof;
import dk.brobygger.auditproof.MerkleHash;
import dk.brobygger.auditproof.MerkleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TileMirrorTest {

  private static final String ORIGIN = "brobygger.example/audit-log";

  @TempDir Path mirror;

  @Test
  void tilePathsAreSpelledAsTheSpecShowsAndReadBackOnlyThatWay() {
    assertThat(TilePath.hashes(0, 1234067, 256).path()).isEqualTo("0/x001/x234/067");
    assertThat(TilePath.hashes(3, 5, 17).path()).isEqualTo("3/005.p/17");
    assertThat(TilePath.entryBundle(1000, 1).path()).isEqualTo("entries/x001/000.p/1");
    assertThat(TilePath.parse("0/x001/x234/067")).contains(TilePath.hashes(0, 1234067, 256));
    assertThat(TilePath.parse("entries/x001/000.p/1")).contains(TilePath.entryBundle(1000, 1));
    assertThat(List.of("00/000", "0/1234", "0/001/234", "0/x001", "0/000.p/256", "0/000.p/0", "0/000.p/07",
        "64/000", "entries/x000/001", "1/000.p", "-1/000", "data/000", "0/x999/x999/x999/x999/x999/x999/x999/999"))
        .allSatisfy(bad -> assertThat(TilePath.parse(bad)).as(bad).isEmpty());
  }

  @Test
  void aTreeOf70000LeavesHasTheTilesTheSpecCounts() {
    List<TilePath> tiles = TilePath.forTree(70_000, false);
    assertThat(tiles.stream().filter(t -> t.level() == 0 && t.isFull())).hasSize(273);
    assertThat(tiles).contains(TilePath.hashes(0, 273, 112), TilePath.hashes(1, 0, 256), TilePath.hashes(1, 1, 17),
        TilePath.hashes(2, 0, 1));
    assertThat(tiles).hasSize(273 + 1 + 1 + 1 + 1);
    assertThat(TilePath.forTree(256, false)).containsExactly(TilePath.hashes(0, 0, 256), TilePath.hashes(1, 0, 1));
  }

  @Test
  void aMirrorOfThreeLevelsVerifiesAgainstItsCheckpoint() throws IOException {
    Checkpoint checkpoint = writeMirror(70_000);

    TileMirrorVerifier.Verification verified =
        TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), checkpoint, true);

    assertThat(verified.treeSize()).isEqualTo(70_000);
    assertThat(verified.entriesChecked()).isEqualTo(70_000);
    assertThat(verified.tilesRead()).isEqualTo(277);
  }

  @Test
  void aPartialTileReplacedByItsFullTileStillVerifies() throws IOException {
    Checkpoint older = writeMirror(300);
    writeMirror(512); // the log grew: tile 0/001 is full now, and a log may delete 0/001.p/44
    Files.delete(tile(TilePath.hashes(0, 1, 44)));
    Files.delete(tile(TilePath.entryBundle(1, 44)));

    assertThat(TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), older, true).entriesChecked())
        .isEqualTo(300);
  }

  @Test
  void aChangedEntryAChangedHashAndAMissingTileAreEachFound() throws IOException {
    Checkpoint checkpoint = writeMirror(70_000);
    Path bundle = tile(TilePath.entryBundle(12, 256));
    byte[] original = Files.readAllBytes(bundle);
    byte[] edited = original.clone();
    edited[40] ^= 1;
    Files.write(bundle, edited);
    assertThatThrownBy(() -> TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), checkpoint, true))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("entry 3072").hasMessageContaining("entries/012");
    Files.write(bundle, original);

    Path upper = tile(TilePath.hashes(1, 1, 17));
    byte[] hashes = Files.readAllBytes(upper);
    hashes[5 * 32] ^= 1;
    Files.write(upper, hashes);
    assertThatThrownBy(() -> TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), checkpoint, false))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("tile 1/001.p/17 hash 5");
    Files.delete(upper);
    assertThatThrownBy(() -> TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), checkpoint, false))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("tile 1/001.p/17 is missing");
  }

  @Test
  void aMirrorOfAnotherTreeDoesNotGiveTheCheckpointsRoot() throws IOException {
    Checkpoint checkpoint = writeMirror(1000);
    Checkpoint other = new Checkpoint(1000, MerkleHash.leafHash("another log".getBytes(UTF_8)), Optional.empty(), ORIGIN);
    assertThat(TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), checkpoint, true).tilesRead()).isEqualTo(5);
    assertThatThrownBy(() -> TileMirrorVerifier.verify(TileMirrorVerifier.directory(mirror), other, true))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("not the checkpoint's");
  }

  /** Writes every tile of a tree of {@code size} test entries as TileBuilder makes them. */
  private Checkpoint writeMirror(int size) throws IOException {
    List<byte[]> entries = entries(size);
    List<byte[]> leaves = entries.stream().map(MerkleHash::leafHash).toList();
    TileBuilder builder = new TileBuilder((from, to) -> leaves.subList((int) from, (int) to), 64);
    for (TilePath t : TilePath.forTree(size, true)) {
      Path file = tile(t);
      Files.createDirectories(file.getParent());
      int first = (int) t.index() * TilePath.FULL_WIDTH;
      Files.write(file, t.entries() ? Tiles.entryBundle(entries.subList(first, first + t.width())) : builder.hashTile(t));
    }
    return new Checkpoint(size, MerkleTree.of(leaves).root(size), Optional.empty(), ORIGIN);
  }

  static List<byte[]> entries(int size) {
    return IntStream.range(0, size).mapToObj(i -> ("{\"seq\":" + (i + 1) + ",\"action\":\"DISCLOSURE_ATTEMPT\"}").getBytes(UTF_8))
        .toList();
  }

  private Path tile(TilePath t) {
    return mirror.resolve("tile").resolve(t.path());
  }
}
