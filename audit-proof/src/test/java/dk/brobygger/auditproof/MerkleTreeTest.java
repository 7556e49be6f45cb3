package dk.brobygger.auditproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  private final MerkleTree tree = MerkleTree.of(Rfc6962Vectors.leafHashes());

  @Test
  void theRootsOfTheFirstZeroToEightTestLeavesMatchThePublishedRoots() {
    for (long size = 0; size <= 8; size++) {
      assertThat(tree.root(size)).as("root of size %d", size).isEqualTo(Rfc6962Vectors.root(size));
    }
  }

  @Test
  void inclusionProofsMatchThePublishedAuditPaths() {
    for (Rfc6962Vectors.Inclusion vector : Rfc6962Vectors.INCLUSION_PROOFS) {
      assertThat(tree.inclusionProof(vector.index(), vector.size()))
          .as("path of leaf %d in size %d", vector.index(), vector.size())
          .containsExactlyElementsOf(vector.proof());
    }
  }

  @Test
  void consistencyProofsMatchThePublishedProofs() {
    for (Rfc6962Vectors.Consistency vector : Rfc6962Vectors.CONSISTENCY_PROOFS) {
      assertThat(tree.consistencyProof(vector.size1(), vector.size2()))
          .as("proof from %d to %d", vector.size1(), vector.size2())
          .containsExactlyElementsOf(vector.proof());
    }
  }

  @Test
  void aConsistencyProofFromTheEmptyTreeIsEmpty() {
    assertThat(tree.consistencyProof(0, 8)).isEmpty();
  }

  @Test
  void proofsAndRootsOutsideTheLeavesHeldAreRefused() {
    assertThatThrownBy(() -> tree.root(9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9");
    assertThatThrownBy(() -> tree.root(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.inclusionProof(8, 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside a tree of size 8");
    assertThatThrownBy(() -> tree.inclusionProof(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.consistencyProof(5, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and 4");
  }

  @Test
  void aTreeRefusesLeafHashesThatAreNot32Bytes() {
    assertThatThrownBy(() -> MerkleTree.of(List.of(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }

  @Test
  void changingAReturnedProofDoesNotChangeTheTree() {
    tree.inclusionProof(0, 2).get(0)[0] ^= 1;

    assertThat(tree.root(2)).isEqualTo(Rfc6962Vectors.root(2));
  }
}
