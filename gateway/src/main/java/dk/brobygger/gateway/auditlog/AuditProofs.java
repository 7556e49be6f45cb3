package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.auditproof.MerkleTree;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Inclusion and consistency proofs over the recorded leaf hashes.
 *
 * <p>Any tree size up to the newest checkpoint's may be asked for, not only checkpoint sizes: every
 * such tree is a prefix of a signed one, and a consistency proof links it to that. Larger sizes are
 * refused, because no signed head vouches for them yet (ask for a checkpoint first). When the size
 * asked for is a checkpoint's, the recomputed root is checked against the signed one, so damaged
 * leaf hashes fail loudly instead of yielding a proof that cannot verify.
 *
 * <p>Each proof is computed from the leaves on demand (O(n) hashes): fine for occasional requests by
 * a privacy officer.
 */
public final class AuditProofs {

  private final AuditLog log;
  private final CheckpointStore checkpoints;

  public AuditProofs(AuditLog log, CheckpointStore checkpoints) {
    this.log = Objects.requireNonNull(log, "log");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
  }

  /**
   * PATH(index, D[size]).
   *
   * @throws Rejected when {@code index} is not in [0, size) or size exceeds the newest checkpoint
   */
  public InclusionProof inclusion(long index, long size) {
    requireSigned(size, "tree size");
    if (index < 0 || index >= size) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Inclusion proof rejected: index " + index + " is not in a tree of size " + size + " (0 <= index < size)");
    }
    List<byte[]> leaves = RecordedLeaves.first(log, size);
    MerkleTree tree = checked(MerkleTree.of(leaves), size);
    return new InclusionProof(index, size, leaves.get((int) index), tree.inclusionProof(index, size), tree.root(size));
  }

  /**
   * PROOF(from, D[to]).
   *
   * @throws Rejected unless 0 <= from <= to <= the newest checkpoint's size
   */
  public ConsistencyProof consistency(long from, long to) {
    requireSigned(to, "second tree size");
    if (from < 0 || from > to) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Consistency proof rejected: sizes must satisfy 0 <= from <= to, got from " + from + " to " + to);
    }
    return ConsistencyProof.of(checkedTree(to), from, to);
  }

  /** The root of the first {@code size} entries, for answers that quote it. */
  public byte[] root(long size) {
    requireSigned(size, "tree size");
    return checkedTree(size).root(size);
  }

  private void requireSigned(long size, String what) {
    long newest = checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L);
    if (size < 0 || size > newest) {
      throw new Rejected(Rejected.Kind.INVALID, "Proof rejected: " + what + " " + size
          + " is not covered by a checkpoint; the newest checkpoint covers " + newest + " entries");
    }
  }

  private MerkleTree checkedTree(long size) {
    return checked(RecordedLeaves.tree(log, size), size);
  }

  private MerkleTree checked(MerkleTree tree, long size) {
    Optional<StoredCheckpoint> signed = checkpoints.ofSize(size);
    if (signed.isPresent() && !MessageDigest.isEqual(tree.root(size), signed.get().rootHash())) {
      throw new Failed("the recorded leaf hashes of the first " + size
          + " audit entries do not give the signed root: the audit log was changed outside the gateway", null);
    }
    return tree;
  }
}
