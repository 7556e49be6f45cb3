package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.Failed;
import dk.brobygger.auditproof.CompactRange;
import dk.brobygger.auditproof.MerkleTree;
import dk.brobygger.gateway.auditlog.entries.AuditLeaf;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import java.util.ArrayList;
import java.util.List;

/** Reads the recorded leaf hashes of a prefix of the log, refusing to paper over a gap. */
final class RecordedLeaves {

  private static final int PER_READ = 10_000;

  private RecordedLeaves() {}

  /** The leaf hashes of entries 1..size (leaves [0, size)), in order. */
  static List<byte[]> first(AuditLog log, long size) {
    List<byte[]> hashes = new ArrayList<>();
    while (hashes.size() < size) {
      List<AuditLeaf> leaves = log.leaves(hashes.size(), size, PER_READ);
      if (leaves.isEmpty()) {
        throw missing(hashes.size() + 1);
      }
      for (AuditLeaf leaf : leaves) {
        if (leaf.sequence() != hashes.size() + 1) {
          throw missing(hashes.size() + 1);
        }
        hashes.add(leaf.hash());
      }
    }
    return hashes;
  }

  /** The leaf hashes of leaves [from, to) (entries from + 1 .. to), in order. */
  static List<byte[]> between(AuditLog log, long from, long to) {
    List<byte[]> hashes = new ArrayList<>();
    while (from + hashes.size() < to) {
      long next = from + hashes.size();
      List<AuditLeaf> leaves = log.leaves(next, to, PER_READ);
      if (leaves.isEmpty()) {
        throw missing(next + 1);
      }
      for (AuditLeaf leaf : leaves) {
        if (leaf.sequence() != from + hashes.size() + 1) {
          throw missing(from + hashes.size() + 1);
        }
        hashes.add(leaf.hash());
      }
    }
    return hashes;
  }

  /** A Merkle tree over leaves [0, size). */
  static MerkleTree tree(AuditLog log, long size) {
    return MerkleTree.of(first(log, size));
  }

  /** The compact range of leaves [0, size): an export's prefix. */
  static CompactRange range(AuditLog log, long size) {
    CompactRange range = CompactRange.empty();
    first(log, size).forEach(range::append);
    return range;
  }

  static Failed missing(long sequence) {
    return new Failed("audit entry " + sequence + " or its recorded leaf hash is missing: the audit log was changed"
        + " outside the gateway", null);
  }
}
