package dk.brobygger.auditproof;

import java.security.MessageDigest;
import java.util.List;

/**
 * Stateless verification of Merkle audit proofs, following the algorithms of RFC 9162 sections
 * 2.1.3.2 (inclusion) and 2.1.4.2 (consistency). Each method returns normally only when the proof
 * verifies; anything else, including a malformed input, throws {@link InvalidProof} naming the
 * problem. The expected proof length is checked up front so that a padded or truncated proof gets a
 * clear message instead of a bare root mismatch.
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /**
   * Verifies that {@code leafHash} is the leaf at {@code index} in the tree of {@code size} leaves whose
   * root is {@code root}, given the audit path {@code proof} (lowest level first).
   */
  public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
    requireHash(leafHash, "leaf hash");
    requireHash(root, "root hash");
    requireHashes(proof, "inclusion proof");
    if (index < 0) {
      throw new InvalidProof("leaf index must not be negative, got " + index);
    }
    if (index >= size) {
      throw new InvalidProof("leaf index " + index + " is outside a tree of size " + size);
    }
    int expected = inclusionProofLength(index, size);
    if (proof.size() != expected) {
      throw new InvalidProof("an inclusion proof for leaf " + index + " in a tree of size " + size
          + " has " + expected + " hashes, got " + proof.size());
    }

    // fn walks the leaf's position up the tree, sn the position of the last leaf (the right border).
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new InvalidProof("inclusion proof for leaf " + index + " is longer than its path to the root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.nodeHash(p, r);
        // On the right border a node may have no right sibling: climb past those levels.
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleHash.nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProof("inclusion proof for leaf " + index + " is shorter than its path to the root");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new InvalidProof("inclusion proof for leaf " + index + " does not lead to the root of tree size " + size);
    }
  }

  /**
   * Verifies that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
   * {@code size2} leaves with root {@code root2}. Sizes 0 and equal sizes need an empty proof.
   */
  public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    requireHash(root1, "first root hash");
    requireHash(root2, "second root hash");
    requireHashes(proof, "consistency proof");
    if (size1 < 0) {
      throw new InvalidProof("first tree size must not be negative, got " + size1);
    }
    if (size1 > size2) {
      throw new InvalidProof("first tree size " + size1 + " is larger than second tree size " + size2
          + ": an append-only log never shrinks");
    }
    if (size1 == 0) {
      requireEmptyProof(proof, "from the empty tree");
      if (!MessageDigest.isEqual(root1, MerkleHash.emptyRoot())) {
        throw new InvalidProof("the first root is not the root of the empty tree");
      }
      return;
    }
    if (size1 == size2) {
      requireEmptyProof(proof, "between equal tree sizes");
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new InvalidProof("two different roots for the same tree size " + size1);
      }
      return;
    }
    int expected = consistencyProofLength(size1, size2);
    if (proof.size() != expected) {
      throw new InvalidProof("a consistency proof from tree size " + size1 + " to " + size2
          + " has " + expected + " hashes, got " + proof.size());
    }

    // RFC 9162 2.1.4.2 step 2: when size1 is a power of two, its root is the proof's missing first node.
    boolean seedIsRoot1 = Long.bitCount(size1) == 1;
    byte[] seed = seedIsRoot1 ? root1 : proof.get(0);
    int next = seedIsRoot1 ? 0 : 1;

    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (byte[] c : proof.subList(next, proof.size())) {
      if (sn == 0) {
        throw new InvalidProof("consistency proof from tree size " + size1 + " to " + size2 + " is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.nodeHash(c, fr);
        sr = MerkleHash.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHash.nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new InvalidProof("consistency proof from tree size " + size1 + " to " + size2 + " is too short");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new InvalidProof("consistency proof does not reproduce the root of tree size " + size1
          + ": that tree is not a prefix of tree size " + size2);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new InvalidProof("consistency proof does not lead to the root of tree size " + size2
          + ": that tree does not extend tree size " + size1);
    }
  }

  /** Number of hashes in the audit path of leaf {@code index} in a tree of {@code size} (0 <= index < size). */
  static int inclusionProofLength(long index, long size) {
    // Below the level where the paths to index and to the last leaf diverge every level has a sibling;
    // above it, only the levels where index is a right child contribute a (left) sibling.
    int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    int border = Long.bitCount(index >>> inner);
    return inner + border;
  }

  /** Number of hashes in PROOF(size1, D[size2]) for 0 < size1 < size2. */
  static int consistencyProofLength(long size1, long size2) {
    int shift = Long.numberOfTrailingZeros(size1);
    int seedFromProof = Long.bitCount(size1) == 1 ? 0 : 1;
    return seedFromProof + inclusionProofLength(size1 - 1, size2) - shift;
  }

  private static void requireEmptyProof(List<byte[]> proof, String between) {
    if (!proof.isEmpty()) {
      throw new InvalidProof("a consistency proof " + between + " must be empty, got " + proof.size() + " hashes");
    }
  }

  private static void requireHash(byte[] hash, String what) {
    if (hash == null) {
      throw new InvalidProof(what + " is missing");
    }
    if (hash.length != MerkleHash.SIZE) {
      throw new InvalidProof(what + " must be " + MerkleHash.SIZE + " bytes, got " + hash.length);
    }
  }

  private static void requireHashes(List<byte[]> hashes, String what) {
    if (hashes == null) {
      throw new InvalidProof(what + " is missing");
    }
    for (int i = 0; i < hashes.size(); i++) {
      requireHash(hashes.get(i), what + " hash " + i);
    }
  }
}
