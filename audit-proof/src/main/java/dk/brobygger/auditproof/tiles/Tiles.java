package dk.brobygger.auditproof.tiles;

import dk.brobygger.auditproof.InvalidProof;
import dk.brobygger.auditproof.MerkleHash;
import dk.brobygger.auditproof.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of c2sp.org/tlog-tiles resources: a hash tile is its hashes concatenated (32 bytes
 * each); an entry bundle is its entries, each after its length as a big-endian uint16. A hash at
 * level l+1 is the Merkle Tree Hash of the full tile below it, whose 256 hashes are the leaves of a
 * perfect subtree of height 8.
 */
public final class Tiles {

  /** The largest entry a bundle can hold (uint16 length prefix). */
  public static final int MAX_ENTRY = 0xFFFF;

  private Tiles() {}

  /** A hash tile's bytes. */
  public static byte[] hashTile(List<byte[]> hashes) {
    byte[] data = new byte[hashes.size() * MerkleHash.SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      byte[] hash = hashes.get(i);
      if (hash.length != MerkleHash.SIZE) {
        throw new IllegalArgumentException("a tile hash is " + hash.length + " bytes, not " + MerkleHash.SIZE);
      }
      System.arraycopy(hash, 0, data, i * MerkleHash.SIZE, MerkleHash.SIZE);
    }
    return data;
  }

  /**
   * The hashes of a tile that should hold {@code width} of them.
   *
   * @throws InvalidProof when the data is not exactly that many hashes
   */
  public static List<byte[]> hashes(byte[] data, int width) {
    if (data.length != width * MerkleHash.SIZE) {
      throw new InvalidProof("a tile of width " + width + " must be " + width * MerkleHash.SIZE + " bytes, not "
          + data.length);
    }
    List<byte[]> hashes = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      hashes.add(Arrays.copyOfRange(data, i * MerkleHash.SIZE, (i + 1) * MerkleHash.SIZE));
    }
    return hashes;
  }

  /** The hash one level up of a full tile: MTH over its 256 hashes as leaves of a perfect subtree. */
  public static byte[] parentHash(List<byte[]> fullTile) {
    if (fullTile.size() != TilePath.FULL_WIDTH) {
      throw new IllegalArgumentException("only a full tile has a hash at the level above; this has "
          + fullTile.size() + " hashes");
    }
    return MerkleTree.of(fullTile).root(TilePath.FULL_WIDTH);
  }

  /**
   * An entry bundle's bytes.
   *
   * @throws IllegalArgumentException when an entry is longer than {@link #MAX_ENTRY} bytes
   */
  public static byte[] entryBundle(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      if (entry.length > MAX_ENTRY) {
        throw new IllegalArgumentException("an entry of " + entry.length + " bytes does not fit an entry bundle");
      }
      out.write(entry.length >>> 8);
      out.write(entry.length & 0xFF);
      out.write(entry, 0, entry.length);
    }
    return out.toByteArray();
  }

  /**
   * The entries of a bundle.
   *
   * @throws InvalidProof when the bytes are not a sequence of length-prefixed entries
   */
  public static List<byte[]> entries(byte[] bundle) {
    List<byte[]> entries = new ArrayList<>();
    int at = 0;
    while (at < bundle.length) {
      if (at + 2 > bundle.length) {
        throw new InvalidProof("an entry bundle ends inside the length of entry " + entries.size());
      }
      int length = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
      at += 2;
      if (at + length > bundle.length) {
        throw new InvalidProof("an entry bundle ends inside entry " + entries.size());
      }
      entries.add(Arrays.copyOfRange(bundle, at, at + length));
      at += length;
    }
    return entries;
  }
}
