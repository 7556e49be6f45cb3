package dk.brobygger.auditproof;

import java.util.HexFormat;
import java.util.List;

/**
 * An immutable snapshot of a {@link CompactRange} over leaves [0, size): the roots of the perfect
 * subtrees that make up the first {@code size} leaves, largest (leftmost) first. One hash per set bit
 * of {@code size}, so at most 64. It is all that is needed to keep appending, or to recompute the
 * root, without the leaves themselves; an export that starts at entry {@code size} carries it as its
 * prefix.
 */
public record Frontier(long size, List<byte[]> hashes) {

  public Frontier {
    if (size < 0) {
      throw new IllegalArgumentException("frontier size must not be negative, got " + size);
    }
    hashes = MerkleHash.copyHashes(hashes, "frontier hash");
    if (hashes.size() != Long.bitCount(size)) {
      throw new IllegalArgumentException(
          "a frontier of size " + size + " has " + Long.bitCount(size) + " hashes, got " + hashes.size());
    }
  }

  /** The frontier of the empty log. */
  public static Frontier empty() {
    return new Frontier(0, List.of());
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public List<byte[]> hashes() {
    return MerkleHash.copyHashes(hashes, "frontier hash");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frontier that && size == that.size && MerkleHash.sameHashes(hashes, that.hashes);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(size) + MerkleHash.hashOf(hashes);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Frontier[size=").append(size).append(", hashes=[");
    for (int i = 0; i < hashes.size(); i++) {
      text.append(i == 0 ? "" : ", ").append(HexFormat.of().formatHex(hashes.get(i)));
    }
    return text.append("]]").toString();
  }
}
