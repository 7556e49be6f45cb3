package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MerkleHashTest {

  @Test
  void theEmptyTreeRootIsTheSha256OfNoBytes() {
    assertThat(MerkleHash.emptyRoot()).isEqualTo(Rfc6962Vectors.EMPTY_ROOT);
  }

  @Test
  void theEmptyLeafHashesWithTheLeafPrefixAndDiffersFromTheEmptyRoot() {
    assertThat(MerkleHash.leafHash(new byte[0]))
        .isEqualTo(Rfc6962Vectors.EMPTY_LEAF_HASH)
        .isNotEqualTo(MerkleHash.emptyRoot());
  }

  @Test
  void aLeafHashMatchesThePublishedVector() {
    assertThat(MerkleHash.leafHash("L123456".getBytes(US_ASCII))).isEqualTo(Rfc6962Vectors.L123456_LEAF_HASH);
  }

  @Test
  void aNodeHashMatchesThePublishedVector() {
    assertThat(MerkleHash.nodeHash("N123".getBytes(US_ASCII), "N456".getBytes(US_ASCII)))
        .isEqualTo(Rfc6962Vectors.N123_N456_NODE_HASH);
  }

  @Test
  void aNodeIsNotALeafOfTheConcatenatedChildren() {
    byte[] left = MerkleHash.leafHash("Hello".getBytes(US_ASCII));
    byte[] right = MerkleHash.leafHash("World".getBytes(US_ASCII));
    byte[] concatenated = new byte[64];
    System.arraycopy(left, 0, concatenated, 0, 32);
    System.arraycopy(right, 0, concatenated, 32, 32);

    assertThat(MerkleHash.nodeHash(left, right))
        .isNotEqualTo(MerkleHash.leafHash(concatenated))
        .isNotEqualTo(MerkleHash.nodeHash(right, left));
  }

  @Test
  void theEmptyRootCannotBeChangedThroughTheReturnedArray() {
    MerkleHash.emptyRoot()[0] ^= 1;

    assertThat(MerkleHash.emptyRoot()).isEqualTo(Rfc6962Vectors.EMPTY_ROOT);
  }
}
