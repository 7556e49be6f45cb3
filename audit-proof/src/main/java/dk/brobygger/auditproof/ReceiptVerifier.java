package dk.brobygger.auditproof;

import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteVerifier;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.CosignatureVerifier;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Checks a receipt ({@link TlogProof}) offline against a pinned log key and, optionally, a witness
 * policy: the checkpoint is signed by the log (whose key name is its origin), cosigned by the
 * policy's quorum, and the entry carried in the extra data is in the tree at the stated index.
 */
public final class ReceiptVerifier {

  /**
   * What a verified receipt proves.
   *
   * @param entry the log entry (its canonical JSON bytes), now proven to be in the log
   * @param cosigners the policy's witnesses whose cosignatures verified (empty without a policy)
   */
  public record VerifiedReceipt(Checkpoint checkpoint, long index, byte[] entry, List<CosignatureVerifier> cosigners) {
    public VerifiedReceipt {
      entry = entry.clone();
      cosigners = List.copyOf(cosigners);
    }

    @Override
    public byte[] entry() {
      return entry.clone();
    }
  }

  private ReceiptVerifier() {}

  /**
   * @throws InvalidProof when the entry is missing or not in the tree at that index
   * @throws InvalidCheckpoint when the checkpoint is not the pinned log's, or lacks the policy's cosignatures
   */
  public static VerifiedReceipt verify(TlogProof receipt, NoteVerifier logKey, Optional<WitnessPolicy> policy) {
    Checkpoint checkpoint = CheckpointNote.verify(receipt.checkpoint(), logKey);
    List<CosignatureVerifier> cosigners = List.of();
    if (policy.isPresent()) {
      try {
        SignedNote note = SignedNote.parse(receipt.checkpoint());
        policy.get().requireQuorum(note);
        cosigners = policy.get().cosigners(note);
      } catch (InvalidNote e) {
        throw new InvalidCheckpoint(e.getMessage(), e);
      }
    }
    byte[] entry = receipt.extra().orElseThrow(() -> new InvalidProof(
        "the receipt carries no entry (no extra line): nothing to prove included"));
    if (receipt.index() >= checkpoint.treeSize()) {
      throw new InvalidProof("entry " + receipt.index() + " is not in a tree of " + checkpoint.treeSize() + " entries");
    }
    ProofVerifier.verifyInclusion(MerkleHash.leafHash(entry), receipt.index(), checkpoint.treeSize(),
        receipt.inclusion(), checkpoint.rootHash());
    return new VerifiedReceipt(checkpoint, receipt.index(), entry, cosigners);
  }
}
