package dk.brobygger.auditproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {

  private static final List<byte[]> LEAVES = Rfc6962Vectors.leafHashes();
  private static final byte[] SOME_HASH =
      Rfc6962Vectors.hex("abacaba000000000000000000000000000000000000000000060061e00123456");

  @Test
  void thePublishedInclusionProofsVerify() {
    for (Rfc6962Vectors.Inclusion vector : Rfc6962Vectors.INCLUSION_PROOFS) {
      assertThatCode(() -> ProofVerifier.verifyInclusion(LEAVES.get((int) vector.index()), vector.index(),
          vector.size(), vector.proof(), Rfc6962Vectors.root(vector.size())))
          .as("leaf %d in size %d", vector.index(), vector.size())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void thePublishedConsistencyProofsVerify() {
    for (Rfc6962Vectors.Consistency vector : Rfc6962Vectors.CONSISTENCY_PROOFS) {
      assertThatCode(() -> ProofVerifier.verifyConsistency(vector.size1(), vector.size2(),
          Rfc6962Vectors.root(vector.size1()), Rfc6962Vectors.root(vector.size2()), vector.proof()))
          .as("from %d to %d", vector.size1(), vector.size2())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void corruptedVariantsOfThePublishedInclusionProofsAreAllRejected() {
    for (Rfc6962Vectors.Inclusion vector : Rfc6962Vectors.INCLUSION_PROOFS) {
      byte[] leaf = LEAVES.get((int) vector.index());
      byte[] root = Rfc6962Vectors.root(vector.size());
      List<String> accepted = new ArrayList<>();
      for (InclusionCase corrupt : corruptions(leaf, vector.index(), vector.size(), vector.proof(), root)) {
        if (verifies(corrupt)) {
          accepted.add(corrupt.description());
        }
      }
      assertThat(accepted).as("corruptions accepted for leaf %d in size %d", vector.index(), vector.size()).isEmpty();
    }
  }

  @Test
  void corruptedVariantsOfThePublishedConsistencyProofsAreAllRejected() {
    for (Rfc6962Vectors.Consistency vector : Rfc6962Vectors.CONSISTENCY_PROOFS) {
      if (vector.proof().isEmpty()) {
        continue; // equal sizes: covered by the edge-case test below
      }
      byte[] root1 = Rfc6962Vectors.root(vector.size1());
      byte[] root2 = Rfc6962Vectors.root(vector.size2());
      List<String> accepted = new ArrayList<>();
      for (ConsistencyCase corrupt : corruptions(vector.size1(), vector.size2(), root1, root2, vector.proof())) {
        if (verifies(corrupt)) {
          accepted.add(corrupt.description());
        }
      }
      assertThat(accepted).as("corruptions accepted from %d to %d", vector.size1(), vector.size2()).isEmpty();
    }
  }

  @Test
  void everyInclusionProofInEveryTreeUpTo32LeavesVerifiesAndEverySingleBitFlipFails() {
    List<byte[]> leaves = CompactRangeTest.leafHashes(32);
    MerkleTree tree = MerkleTree.of(leaves);
    List<String> wronglyAccepted = new ArrayList<>();
    long rejected = 0;
    for (long size = 1; size <= 32; size++) {
      byte[] root = tree.root(size);
      for (long index = 0; index < size; index++) {
        byte[] leaf = leaves.get((int) index);
        List<byte[]> proof = tree.inclusionProof(index, size);
        ProofVerifier.verifyInclusion(leaf, index, size, proof, root);

        for (int element = 0; element < proof.size(); element++) {
          for (int bit = 0; bit < 256; bit++) {
            List<byte[]> flipped = new ArrayList<>(proof);
            flipped.set(element, flip(proof.get(element), bit));
            if (verifies(new InclusionCase(leaf, index, size, flipped, root, ""))) {
              wronglyAccepted.add("size " + size + " index " + index + " proof[" + element + "] bit " + bit);
            } else {
              rejected++;
            }
          }
        }
        for (int bit = 0; bit < 256; bit++) {
          if (verifies(new InclusionCase(leaf, index, size, proof, flip(root, bit), ""))) {
            wronglyAccepted.add("size " + size + " index " + index + " root bit " + bit);
          } else {
            rejected++;
          }
          if (verifies(new InclusionCase(flip(leaf, bit), index, size, proof, root, ""))) {
            wronglyAccepted.add("size " + size + " index " + index + " leaf bit " + bit);
          } else {
            rejected++;
          }
        }
        for (InclusionCase corrupt : corruptions(leaf, index, size, proof, root)) {
          if (verifies(corrupt)) {
            wronglyAccepted.add("size " + size + " index " + index + " " + corrupt.description());
          }
        }
      }
    }
    assertThat(wronglyAccepted).isEmpty();
    assertThat(rejected).as("the loop really checked every corruption").isGreaterThan(100_000);
  }

  @Test
  void everyConsistencyProofBetweenTreesUpTo32LeavesVerifiesAndEverySingleBitFlipFails() {
    MerkleTree tree = MerkleTree.of(CompactRangeTest.leafHashes(32));
    List<String> wronglyAccepted = new ArrayList<>();
    long rejected = 0;
    for (long size2 = 0; size2 <= 32; size2++) {
      byte[] root2 = tree.root(size2);
      for (long size1 = 0; size1 <= size2; size1++) {
        byte[] root1 = tree.root(size1);
        List<byte[]> proof = tree.consistencyProof(size1, size2);
        ProofVerifier.verifyConsistency(size1, size2, root1, root2, proof);

        for (int element = 0; element < proof.size(); element++) {
          for (int bit = 0; bit < 256; bit++) {
            List<byte[]> flipped = new ArrayList<>(proof);
            flipped.set(element, flip(proof.get(element), bit));
            if (verifies(new ConsistencyCase(size1, size2, root1, root2, flipped, ""))) {
              wronglyAccepted.add(size1 + "->" + size2 + " proof[" + element + "] bit " + bit);
            } else {
              rejected++;
            }
          }
        }
        for (int bit = 0; bit < 256; bit++) {
          if (verifies(new ConsistencyCase(size1, size2, flip(root1, bit), root2, proof, ""))) {
            wronglyAccepted.add(size1 + "->" + size2 + " root1 bit " + bit);
          } else {
            rejected++;
          }
          // From the empty tree there is nothing to prove about root2: its signature vouches for it.
          if (size1 > 0) {
            if (verifies(new ConsistencyCase(size1, size2, root1, flip(root2, bit), proof, ""))) {
              wronglyAccepted.add(size1 + "->" + size2 + " root2 bit " + bit);
            } else {
              rejected++;
            }
          }
        }
        if (!proof.isEmpty()) {
          for (ConsistencyCase corrupt : corruptions(size1, size2, root1, root2, proof)) {
            if (verifies(corrupt)) {
              wronglyAccepted.add(size1 + "->" + size2 + " " + corrupt.description());
            }
          }
        }
      }
    }
    assertThat(wronglyAccepted).isEmpty();
    assertThat(rejected).as("the loop really checked every corruption").isGreaterThan(100_000);
  }

  @Test
  void aLeafIndexOutsideTheTreeIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), 8, 8, List.of(), Rfc6962Vectors.root(8)))
        .isInstanceOf(InvalidProof.class).hasMessage("leaf index 8 is outside a tree of size 8");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), 0, 0, List.of(), Rfc6962Vectors.EMPTY_ROOT))
        .isInstanceOf(InvalidProof.class).hasMessage("leaf index 0 is outside a tree of size 0");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), -1, 8, List.of(), Rfc6962Vectors.root(8)))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("negative");
  }

  @Test
  void anInclusionProofOfTheWrongLengthIsRejectedWithTheExpectedLength() {
    Rfc6962Vectors.Inclusion vector = Rfc6962Vectors.INCLUSION_PROOFS.get(1);
    List<byte[]> padded = new ArrayList<>(vector.proof());
    padded.add(SOME_HASH);

    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), 0, 8, padded, Rfc6962Vectors.root(8)))
        .isInstanceOf(InvalidProof.class)
        .hasMessage("an inclusion proof for leaf 0 in a tree of size 8 has 3 hashes, got 4");
  }

  @Test
  void hashesOfTheWrongSizeAreRejectedAsMalformed() {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(new byte[0], 0, 1, List.of(), Rfc6962Vectors.root(1)))
        .isInstanceOf(InvalidProof.class).hasMessage("leaf hash must be 32 bytes, got 0");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), 0, 1, List.of(), new byte[0]))
        .isInstanceOf(InvalidProof.class).hasMessage("root hash must be 32 bytes, got 0");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(LEAVES.get(0), 0, 2, List.of(new byte[31]), Rfc6962Vectors.root(2)))
        .isInstanceOf(InvalidProof.class).hasMessage("inclusion proof hash 0 must be 32 bytes, got 31");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 2, Rfc6962Vectors.root(1), Rfc6962Vectors.root(2), null))
        .isInstanceOf(InvalidProof.class).hasMessage("consistency proof is missing");
  }

  @Test
  void aSingleLeafTreeHasAnEmptyProofAndItsRootIsTheLeafHash() {
    byte[] leaf = MerkleHash.leafHash("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    assertThatCode(() -> ProofVerifier.verifyInclusion(leaf, 0, 1, List.of(), leaf)).doesNotThrowAnyException();
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 0, 1, List.of(), SOME_HASH))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("does not lead to the root");
  }

  @Test
  void aShrinkingLogIsRejected() {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(2, 1, Rfc6962Vectors.root(2), Rfc6962Vectors.root(1), List.of()))
        .isInstanceOf(InvalidProof.class)
        .hasMessage("first tree size 2 is larger than second tree size 1: an append-only log never shrinks");
  }

  @Test
  void equalSizesNeedEqualRootsAndAnEmptyProof() {
    byte[] root = Rfc6962Vectors.root(3);
    assertThatCode(() -> ProofVerifier.verifyConsistency(3, 3, root, root, List.of())).doesNotThrowAnyException();
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 3, root, SOME_HASH, List.of()))
        .isInstanceOf(InvalidProof.class).hasMessage("two different roots for the same tree size 3");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 3, root, root, List.of(root)))
        .isInstanceOf(InvalidProof.class).hasMessage("a consistency proof between equal tree sizes must be empty, got 1 hashes");
  }

  @Test
  void theEmptyTreeIsConsistentWithAnyTreeButOnlyWithTheEmptyRootAndNoProof() {
    byte[] root = Rfc6962Vectors.root(5);
    assertThatCode(() -> ProofVerifier.verifyConsistency(0, 5, Rfc6962Vectors.EMPTY_ROOT, root, List.of()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 5, SOME_HASH, root, List.of()))
        .isInstanceOf(InvalidProof.class).hasMessage("the first root is not the root of the empty tree");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 5, Rfc6962Vectors.EMPTY_ROOT, root, List.of(root)))
        .isInstanceOf(InvalidProof.class).hasMessageContaining("from the empty tree must be empty");
  }

  @Test
  void anEmptyConsistencyProofBetweenDifferentSizesIsRejected() {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(1, 2, Rfc6962Vectors.root(1), Rfc6962Vectors.root(2), List.of()))
        .isInstanceOf(InvalidProof.class)
        .hasMessage("a consistency proof from tree size 1 to 2 has 1 hashes, got 0");
  }

  @Test
  void aConsistencyProofForAForkedLogNamesTheRootItCannotReproduce() {
    List<byte[]> forkedLeaves = new ArrayList<>(LEAVES);
    forkedLeaves.set(2, MerkleHash.leafHash(new byte[] {0x11}));
    MerkleTree forked = MerkleTree.of(forkedLeaves);
    List<byte[]> proof = forked.consistencyProof(6, 8);

    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(6, 8, Rfc6962Vectors.root(6), forked.root(8), proof))
        .isInstanceOf(InvalidProof.class)
        .hasMessage("consistency proof does not reproduce the root of tree size 6: that tree is not a prefix of tree size 8");
  }

  // The corruptions of transparency-dev/merkle's verify_test.go (corruptInclusionProof), in our terms.
  private static List<InclusionCase> corruptions(byte[] leaf, long index, long size, List<byte[]> proof, byte[] root) {
    List<InclusionCase> cases = new ArrayList<>(List.of(
        new InclusionCase(leaf, index - 1, size, proof, root, "index - 1"),
        new InclusionCase(leaf, index + 1, size, proof, root, "index + 1"),
        new InclusionCase(leaf, index ^ 2, size, proof, root, "index ^ 2"),
        new InclusionCase(leaf, index, size * 2, proof, root, "size * 2"),
        new InclusionCase(leaf, index, size / 2, proof, root, "size / 2"),
        new InclusionCase(SOME_HASH, index, size, proof, root, "wrong leaf"),
        new InclusionCase(leaf, index, size, proof, Rfc6962Vectors.EMPTY_ROOT, "empty root"),
        new InclusionCase(leaf, index, size, proof, SOME_HASH, "random root"),
        new InclusionCase(leaf, index, size, append(proof, new byte[0]), root, "trailing garbage"),
        new InclusionCase(leaf, index, size, append(proof, root), root, "trailing root"),
        new InclusionCase(leaf, index, size, prepend(new byte[0], proof), root, "preceding garbage"),
        new InclusionCase(leaf, index, size, prepend(root, proof), root, "preceding root")));
    if (!proof.isEmpty()) {
      cases.add(new InclusionCase(leaf, index, size, proof.subList(0, proof.size() - 1), root, "removed component"));
    }
    if (proof.size() > 1) {
      List<byte[]> inserted = new ArrayList<>(proof);
      inserted.add(1, SOME_HASH);
      cases.add(new InclusionCase(leaf, index, size, inserted, root, "inserted component"));
    }
    return cases;
  }

  // The corruptions of transparency-dev/merkle's verify_test.go (corruptConsistencyProof), in our terms.
  private static List<ConsistencyCase> corruptions(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    List<ConsistencyCase> cases = new ArrayList<>(List.of(
        new ConsistencyCase(size1 - 1, size2, root1, root2, proof, "size1 - 1"),
        new ConsistencyCase(size1 + 1, size2, root1, root2, proof, "size1 + 1"),
        new ConsistencyCase(size1 ^ 2, size2, root1, root2, proof, "size1 ^ 2"),
        new ConsistencyCase(size1, size2 * 2, root1, root2, proof, "size2 * 2"),
        new ConsistencyCase(size1, size2 / 2, root1, root2, proof, "size2 / 2"),
        new ConsistencyCase(size1, size2, SOME_HASH, root2, proof, "wrong root1"),
        new ConsistencyCase(size1, size2, root1, SOME_HASH, proof, "wrong root2"),
        new ConsistencyCase(size1, size2, root2, root1, proof, "swapped roots"),
        new ConsistencyCase(size1, size2, root1, root2, List.of(), "empty proof"),
        new ConsistencyCase(size1, size2, root1, root2, append(proof, new byte[0]), "trailing garbage"),
        new ConsistencyCase(size1, size2, root1, root2, append(proof, root1), "trailing root1"),
        new ConsistencyCase(size1, size2, root1, root2, append(proof, root2), "trailing root2"),
        new ConsistencyCase(size1, size2, root1, root2, prepend(new byte[0], proof), "preceding garbage"),
        new ConsistencyCase(size1, size2, root1, root2, prepend(root1, proof), "preceding root1"),
        new ConsistencyCase(size1, size2, root1, root2, prepend(root2, proof), "preceding root2"),
        new ConsistencyCase(size1, size2, root1, root2, prepend(proof.get(0), proof), "preceding proof[0]"),
        new ConsistencyCase(size1, size2, root1, root2, proof.subList(0, proof.size() - 1), "truncated proof")));
    return cases;
  }

  private record InclusionCase(byte[] leaf, long index, long size, List<byte[]> proof, byte[] root, String description) {}

  private record ConsistencyCase(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof, String description) {}

  private static boolean verifies(InclusionCase c) {
    try {
      ProofVerifier.verifyInclusion(c.leaf(), c.index(), c.size(), c.proof(), c.root());
      return true;
    } catch (InvalidProof rejected) {
      return false;
    }
  }

  private static boolean verifies(ConsistencyCase c) {
    try {
      ProofVerifier.verifyConsistency(c.size1(), c.size2(), c.root1(), c.root2(), c.proof());
      return true;
    } catch (InvalidProof rejected) {
      return false;
    }
  }

  private static byte[] flip(byte[] hash, int bit) {
    byte[] copy = hash.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  private static List<byte[]> append(List<byte[]> proof, byte[] extra) {
    List<byte[]> longer = new ArrayList<>(proof);
    longer.add(extra);
    return longer;
  }

  private static List<byte[]> prepend(byte[] extra, List<byte[]> proof) {
    List<byte[]> longer = new ArrayList<>();
    longer.add(extra);
    longer.addAll(proof);
    return longer;
  }
}
