package dk.brobygger.auditproof;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 section 2.1 computations over an in-memory list of leaf hashes: the tree head MTH of the
 * first n leaves, the audit path PATH(m, D[n]) and the consistency proof PROOF(m, D[n]).
 *
 * <p>Every answer is computed from the leaves on demand (O(n) hashes for a root or a proof). That suits
 * a verifier and a server answering occasional proof requests; the append path uses {@link
 * CompactRange}, which costs O(log n) per leaf.
 */
public final class MerkleTree {

  private final List<byte[]> leafHashes;

  private MerkleTree(List<byte[]> leafHashes) {
    this.leafHashes = leafHashes;
  }

  /** A tree over a copy of {@code leafHashes} (each 32 bytes, typically {@link MerkleHash#leafHash}). */
  public static MerkleTree of(List<byte[]> leafHashes) {
    return new MerkleTree(MerkleHash.copyHashes(leafHashes, "leaf hash"));
  }

  /** Number of leaves held. */
  public long size() {
    return leafHashes.size();
  }

  /** MTH(D[size]): the root of the first {@code size} leaves; the empty-tree hash for size 0. */
  public byte[] root(long size) {
    int n = requireSize(size, "tree size");
    return n == 0 ? MerkleHash.emptyRoot() : subtreeRoot(0, n);
  }

  /**
   * PATH(index, D[size]): the sibling hashes from the leaf at {@code index} up to the root of the tree
   * of {@code size} leaves, lowest first, as {@link ProofVerifier#verifyInclusion} expects.
   */
  public List<byte[]> inclusionProof(long index, long size) {
    int n = requireSize(size, "tree size");
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + n);
    }
    List<byte[]> path = new ArrayList<>();
    appendPath((int) index, 0, n, path);
    return List.copyOf(path);
  }

  /**
   * PROOF(size1, D[size2]): the hashes that prove the tree of {@code size1} leaves is a prefix of the
   * tree of {@code size2} leaves. Empty when size1 is 0 or equal to size2 (nothing to prove).
   */
  public List<byte[]> consistencyProof(long size1, long size2) {
    int n = requireSize(size2, "second tree size");
    if (size1 < 0 || size1 > n) {
      throw new IllegalArgumentException("first tree size " + size1 + " must be between 0 and " + n);
    }
    List<byte[]> proof = new ArrayList<>();
    if (size1 > 0 && size1 < n) {
      appendSubproof((int) size1, 0, n, true, proof);
    }
    return List.copyOf(proof);
  }

  private int requireSize(long size, String what) {
    if (size < 0 || size > leafHashes.size()) {
      throw new IllegalArgumentException(
          what + " " + size + " must be between 0 and " + leafHashes.size() + " (the leaves held)");
    }
    return (int) size;
  }

  /** MTH(D[from:to]) for a non-empty range. */
  private byte[] subtreeRoot(int from, int to) {
    int n = to - from;
    if (n == 1) {
      // A copy: proofs and roots leave this class and callers may change them.
      return leafHashes.get(from).clone();
    }
    int k = largestPowerOfTwoBelow(n);
    return MerkleHash.nodeHash(subtreeRoot(from, from + k), subtreeRoot(from + k, to));
  }

  /** PATH(m, D[from:to]), appended lowest level first: the recursion adds the sibling after the subpath. */
  private void appendPath(int m, int from, int to, List<byte[]> path) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      appendPath(m, from, from + k, path);
      path.add(subtreeRoot(from + k, to));
    } else {
      appendPath(m - k, from + k, to, path);
      path.add(subtreeRoot(from, from + k));
    }
  }

  /** SUBPROOF(m, D[from:to], wholeOldTree) of RFC 6962 2.1.2. */
  private void appendSubproof(int m, int from, int to, boolean wholeOldTree, List<byte[]> proof) {
    int n = to - from;
    if (m == n) {
      // The old tree is this very subtree: the verifier knows its root already unless we are deeper.
      if (!wholeOldTree) {
        proof.add(subtreeRoot(from, to));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      appendSubproof(m, from, from + k, wholeOldTree, proof);
      proof.add(subtreeRoot(from + k, to));
    } else {
      appendSubproof(m - k, from + k, to, false, proof);
      proof.add(subtreeRoot(from, from + k));
    }
  }

  /** The largest power of two strictly smaller than {@code n} (n >= 2). */
  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
