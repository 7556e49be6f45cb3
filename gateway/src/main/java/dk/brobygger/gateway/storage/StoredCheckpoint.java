package dk.brobygger.gateway.storage;

import dk.brobygger.auditproof.Frontier;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed checkpoint as stored, with the compact range it was computed from.
 *
 * @param treeSize entries covered: leaves [0, treeSize), i.e. sequence numbers 1..treeSize
 * @param rootHash the Merkle root of those entries
 * @param issuedAt when it was signed (microsecond precision, as stored)
 * @param jws the compact JWS the gateway signed
 * @param frontier the compact range of the covered leaves, to resume from
 * @param note the C2SP checkpoint (signed note) issued with it; none for checkpoints older than that
 */
public record StoredCheckpoint(
    long treeSize, byte[] rootHash, Instant issuedAt, String jws, Frontier frontier, Optional<String> note) {

  public StoredCheckpoint {
    rootHash = rootHash.clone();
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(jws, "jws");
    Objects.requireNonNull(frontier, "frontier");
    Objects.requireNonNull(note, "note");
    if (frontier.size() != treeSize) {
      throw new IllegalArgumentException("frontier of size " + frontier.size() + " for a checkpoint of size " + treeSize);
    }
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredCheckpoint that
        && treeSize == that.treeSize
        && Arrays.equals(rootHash, that.rootHash)
        && issuedAt.equals(that.issuedAt)
        && jws.equals(that.jws)
        && frontier.equals(that.frontier)
        && note.equals(that.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(treeSize, Arrays.hashCode(rootHash), issuedAt, jws, frontier, note);
  }
}
