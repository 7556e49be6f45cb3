package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactRangeTest {

  @Test
  void theRootEqualsTheMerkleTreeRootAfterEveryAppendUpTo200Leaves() {
    List<byte[]> leaves = leafHashes(200);
    MerkleTree tree = MerkleTree.of(leaves);
    CompactRange range = CompactRange.empty();
    assertThat(range.root()).isEqualTo(tree.root(0));

    for (int size = 1; size <= 200; size++) {
      range.append(leaves.get(size - 1));
      assertThat(range.size()).isEqualTo(size);
      assertThat(range.root()).as("root of size %d", size).isEqualTo(tree.root(size));
    }
  }

  @Test
  void theRootsOfThePublishedTestLeavesMatch() {
    CompactRange range = CompactRange.empty();
    for (byte[] leaf : Rfc6962Vectors.leafHashes()) {
      range.append(leaf);
      assertThat(range.root()).isEqualTo(Rfc6962Vectors.root(range.size()));
    }
  }

  @Test
  void aFrontierHoldsOneHashPerSetBitOfTheSize() {
    CompactRange range = CompactRange.empty();
    for (byte[] leaf : leafHashes(13)) {
      range.append(leaf);
    }

    assertThat(range.frontier().size()).isEqualTo(13);
    assertThat(range.frontier().hashes()).hasSize(3); // 13 = 8 + 4 + 1
  }

  @Test
  void appendingResumesFromAFrontierAtEverySplitPoint() {
    List<byte[]> leaves = leafHashes(70);
    MerkleTree tree = MerkleTree.of(leaves);
    for (int split = 0; split <= 70; split++) {
      CompactRange first = CompactRange.empty();
      leaves.subList(0, split).forEach(first::append);

      CompactRange resumed = CompactRange.from(first.frontier());
      leaves.subList(split, 70).forEach(resumed::append);

      assertThat(resumed.root()).as("resumed at %d", split).isEqualTo(tree.root(70));
    }
  }

  @Test
  void aHundredThousandAppendsGiveTheSameRootAsTheWholeTree() {
    List<byte[]> leaves = leafHashes(100_000);
    CompactRange range = CompactRange.empty();
    leaves.forEach(range::append);

    assertThat(range.root()).isEqualTo(MerkleTree.of(leaves).root(100_000));
  }

  @Test
  void aFrontierWithTheWrongNumberOfHashesIsRefused() {
    assertThatThrownBy(() -> new Frontier(3, List.of(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 hashes, got 1");
  }

  @Test
  void aLeafHashThatIsNot32BytesIsRefused() {
    assertThatThrownBy(() -> CompactRange.empty().append(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }

  static List<byte[]> leafHashes(int count) {
    List<byte[]> hashes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hashes.add(MerkleHash.leafHash(("{\"seq\":" + i + "}").getBytes(UTF_8)));
    }
    return hashes;
  }
}
