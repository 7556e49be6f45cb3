package dk.brobygger.auditproof;

import java.util.ArrayList;
import java.util.List;

/**
 * The log's append-side tree state: the roots of the perfect subtrees covering leaves [0, size), as in
 * transparency-dev/merkle's compact ranges. Appending a leaf merges equal-sized subtrees like a binary
 * counter carry, so it costs at most log2(n) node hashes; the root folds the at most 64 subtree roots
 * from the right, which is exactly the RFC 6962 MTH split at the largest power of two.
 *
 * <p>Not thread-safe: the single writer that appends to the audit log owns one.
 */
public final class CompactRange {

  private long size;
  // Subtree roots, largest (leftmost) first; their sizes are the set bits of size, descending.
  private final List<byte[]> subtreeRoots;

  private CompactRange(long size, List<byte[]> subtreeRoots) {
    this.size = size;
    this.subtreeRoots = subtreeRoots;
  }

  /** The empty range [0, 0). */
  public static CompactRange empty() {
    return new CompactRange(0, new ArrayList<>());
  }

  /** Resumes appending after the leaves summarised by {@code frontier}. */
  public static CompactRange from(Frontier frontier) {
    return new CompactRange(frontier.size(), new ArrayList<>(frontier.hashes()));
  }

  /** Number of leaves appended so far (including those summarised by the starting frontier). */
  public long size() {
    return size;
  }

  /** Appends one leaf hash (32 bytes); O(log n). */
  public void append(byte[] leafHash) {
    byte[] carry = MerkleHash.requireHash(leafHash, "leaf hash").clone();
    // Each trailing one bit of the old size is a subtree of the same height as carry: merge them.
    for (long bits = size; (bits & 1) == 1; bits >>>= 1) {
      byte[] left = subtreeRoots.remove(subtreeRoots.size() - 1);
      carry = MerkleHash.nodeHash(left, carry);
    }
    subtreeRoots.add(carry);
    size++;
  }

  /** MTH of the leaves appended so far; the empty-tree hash for size 0. O(log n). */
  public byte[] root() {
    if (subtreeRoots.isEmpty()) {
      return MerkleHash.emptyRoot();
    }
    byte[] root = subtreeRoots.get(subtreeRoots.size() - 1).clone();
    for (int i = subtreeRoots.size() - 2; i >= 0; i--) {
      root = MerkleHash.nodeHash(subtreeRoots.get(i), root);
    }
    return root;
  }

  /** An immutable snapshot, to store or to put in an export's prefix. */
  public Frontier frontier() {
    return new Frontier(size, subtreeRoots);
  }
}
