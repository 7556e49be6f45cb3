package dk.brobygger.gateway.auditlog;

import java.util.List;
import java.util.Objects;

/**
 * Proof that the entry at {@code index} (sequence number index + 1) is in the tree of {@code
 * treeSize} entries whose root is {@code rootHash}; check it with ProofVerifier.verifyInclusion.
 *
 * @param leafHash the leaf hash recorded for the entry
 * @param hashes the audit path, lowest level first
 */
public record InclusionProof(long index, long treeSize, byte[] leafHash, List<byte[]> hashes, byte[] rootHash) {

  public InclusionProof {
    leafHash = leafHash.clone();
    hashes = hashes.stream().map(byte[]::clone).toList();
    rootHash = rootHash.clone();
    Objects.checkIndex(index, treeSize);
  }

  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  @Override
  public List<byte[]> hashes() {
    return hashes.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }
}
