package dk.brobygger.auditproof.witness;

import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.InvalidProof;
import dk.brobygger.auditproof.ProofVerifier;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Whether two verified checkpoints of one log can belong to one history. Two signed checkpoints
 * that cannot (same size, different roots; or no valid consistency proof between them) are proof
 * that the log showed different parties different histories.
 */
public final class Forks {

  private Forks() {}

  /**
   * Evidence of a fork between {@code a} and {@code b}, or empty when they are consistent.
   *
   * @param proof the consistency proof from the smaller to the larger (ignored for equal sizes)
   */
  public static Optional<String> evidence(Checkpoint a, Checkpoint b, List<byte[]> proof) {
    if (!a.origin().equals(b.origin())) {
      throw new IllegalArgumentException("checkpoints of two logs, " + a.origin() + " and " + b.origin());
    }
    Checkpoint smaller = a.treeSize() <= b.treeSize() ? a : b;
    Checkpoint larger = smaller == a ? b : a;
    if (smaller.treeSize() == larger.treeSize()) {
      return MessageDigest.isEqual(smaller.rootHash(), larger.rootHash())
          ? Optional.empty()
          : Optional.of("the log " + a.origin() + " signed two different root hashes for tree size " + a.treeSize());
    }
    try {
      ProofVerifier.verifyConsistency(smaller.treeSize(), larger.treeSize(), smaller.rootHash(), larger.rootHash(), proof);
      return Optional.empty();
    } catch (InvalidProof e) {
      return Optional.of("the checkpoints of sizes " + smaller.treeSize() + " and " + larger.treeSize() + " of "
          + a.origin() + " are not consistent: " + e.getMessage());
    }
  }
}
