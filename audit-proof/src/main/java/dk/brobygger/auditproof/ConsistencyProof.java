package dk.brobygger.auditproof;

import java.util.HexFormat;
import java.util.List;

/** The hashes proving that the log of {@code fromSize} entries is a prefix of the log of {@code toSize}. */
public record ConsistencyProof(long fromSize, long toSize, List<byte[]> hashes) {

  public ConsistencyProof {
    if (fromSize < 0 || fromSize > toSize) {
      throw new IllegalArgumentException(
          "consistency proof sizes must satisfy 0 <= from <= to, got from " + fromSize + " to " + toSize);
    }
    hashes = MerkleHash.copyHashes(hashes, "consistency proof hash");
  }

  /** Computes the proof from a tree that holds at least {@code toSize} leaves. */
  public static ConsistencyProof of(MerkleTree tree, long fromSize, long toSize) {
    return new ConsistencyProof(fromSize, toSize, tree.consistencyProof(fromSize, toSize));
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public List<byte[]> hashes() {
    return MerkleHash.copyHashes(hashes, "consistency proof hash");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConsistencyProof that
        && fromSize == that.fromSize
        && toSize == that.toSize
        && MerkleHash.sameHashes(hashes, that.hashes);
  }

  @Override
  public int hashCode() {
    return (31 * Long.hashCode(fromSize) + Long.hashCode(toSize)) * 31 + MerkleHash.hashOf(hashes);
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder("ConsistencyProof[from=").append(fromSize).append(", to=").append(toSize).append(", hashes=[");
    for (int i = 0; i < hashes.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(HexFormat.of().formatHex(hashes.get(i)));
    }
    return text.append("]]").toString();
  }
}
