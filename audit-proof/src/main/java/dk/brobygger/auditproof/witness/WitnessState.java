package dk.brobygger.auditproof.witness;

import java.util.Optional;

/**
 * A witness's durable record of the latest checkpoint it cosigned, per log origin. The check of the
 * old size and the update must be one atomic step (tlog-witness), hence compare-and-set.
 */
public interface WitnessState {

  /** The latest cosigned tree head of {@code origin}, if any. */
  Optional<TreeHead> latest(String origin);

  /**
   * Durably records {@code next} for its origin if the recorded size is still {@code expectedSize}
   * (0 when nothing was recorded); returns whether it did. Returns only once the record is on disk.
   */
  boolean compareAndSet(String origin, long expectedSize, TreeHead next);

  /** A tree size and root hash (32 bytes). */
  record TreeHead(long size, byte[] rootHash) {
    public TreeHead {
      rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
      return rootHash.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TreeHead that && size == that.size && java.util.Arrays.equals(rootHash, that.rootHash);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(size) * 31 + java.util.Arrays.hashCode(rootHash);
    }
  }
}
