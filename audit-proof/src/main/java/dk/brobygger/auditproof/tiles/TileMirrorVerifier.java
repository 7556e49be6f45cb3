package dk.brobygger.auditproof.tiles;

import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CompactRange;
import dk.brobygger.auditproof.InvalidProof;
import dk.brobygger.auditproof.MerkleHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks a copy of a tiled log (c2sp.org/tlog-tiles) against a checkpoint whose signature was
 * already verified: the level-0 tiles must give the checkpoint's root, every tile above must hold the
 * hashes of the full tiles below it, and every entry bundle present must hash to its level-0 tile.
 * A partial tile the copy lacks is read from the full tile that replaced it, as the spec allows a log
 * to delete partial tiles once the full one exists.
 */
public final class TileMirrorVerifier {

  /** Where tiles come from: a directory, or an HTTP client. Empty when the copy lacks the tile. */
  @FunctionalInterface
  public interface TileReader {
    Optional<byte[]> read(TilePath tile);
  }

  /**
   * What was checked.
   *
   * @param treeSize the checkpoint's size: every leaf hash of that tree was recomputed into its root
   * @param tilesRead hash tiles read
   * @param entriesChecked entries (from entry bundles) hashed and matched to their leaf hashes
   */
  public record Verification(long treeSize, int tilesRead, long entriesChecked) {}

  private TileMirrorVerifier() {}

  /**
   * @param requireEntries whether every entry bundle must be present (otherwise those present are checked)
   * @throws InvalidProof naming the first tile that is missing or does not match
   */
  public static Verification verify(TileReader mirror, Checkpoint checkpoint, boolean requireEntries) {
    long size = checkpoint.treeSize();
    CompactRange range = CompactRange.empty();
    int tilesRead = 0;
    long entriesChecked = 0;
    // the hashes that the tiles of the current level must hold: from the full tiles below
    List<byte[]> expected = null;
    long hashesAtLevel = size;
    for (int level = 0; hashesAtLevel > 0; level++) {
      List<byte[]> parents = new ArrayList<>();
      for (long n = 0; n * TilePath.FULL_WIDTH < hashesAtLevel; n++) {
        int width = (int) Math.min(TilePath.FULL_WIDTH, hashesAtLevel - n * TilePath.FULL_WIDTH);
        TilePath tile = TilePath.hashes(level, n, width);
        List<byte[]> hashes = read(mirror, tile);
        tilesRead++;
        for (int i = 0; i < width; i++) {
          byte[] hash = hashes.get(i);
          if (level == 0) {
            range.append(hash);
          } else if (!MessageDigest.isEqual(hash, expected.get((int) (n * TilePath.FULL_WIDTH + i)))) {
            throw new InvalidProof("tile " + tile.path() + " hash " + i + " is not the hash of full tile "
                + TilePath.hashes(level - 1, n * TilePath.FULL_WIDTH + i, TilePath.FULL_WIDTH).path());
          }
        }
        if (width == TilePath.FULL_WIDTH) {
          parents.add(Tiles.parentHash(hashes));
        }
        if (level == 0) {
          entriesChecked += checkEntries(mirror, TilePath.entryBundle(n, width), hashes, requireEntries);
        }
      }
      if (level == 0) {
        requireRoot(range, checkpoint);
      }
      expected = parents;
      hashesAtLevel = parents.size();
    }
    if (size == 0) {
      requireRoot(range, checkpoint);
    }
    return new Verification(size, tilesRead, entriesChecked);
  }

  private static void requireRoot(CompactRange range, Checkpoint checkpoint) {
    if (!MessageDigest.isEqual(range.root(), checkpoint.rootHash())) {
      throw new InvalidProof("the level-0 tiles give root " + Base64.getEncoder().encodeToString(range.root())
          + ", not the checkpoint's " + Base64.getEncoder().encodeToString(checkpoint.rootHash()));
    }
  }

  /** Tiles from a directory laid out as the log serves them: {@code <dir>/tile/<path>}. */
  public static TileReader directory(Path dir) {
    return tile -> {
      Path file = dir.resolve("tile").resolve(tile.path());
      try {
        return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file))
            : Optional.empty();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static List<byte[]> read(TileReader mirror, TilePath tile) {
    Optional<byte[]> data = mirror.read(tile);
    if (data.isPresent()) {
      return Tiles.hashes(data.get(), tile.width());
    }
    if (!tile.isFull()) {
      Optional<byte[]> full = mirror.read(TilePath.hashes(tile.level(), tile.index(), TilePath.FULL_WIDTH));
      if (full.isPresent()) {
        return Tiles.hashes(full.get(), TilePath.FULL_WIDTH).subList(0, tile.width());
      }
    }
    throw new InvalidProof("tile " + tile.path() + " is missing");
  }

  private static int checkEntries(TileReader mirror, TilePath bundle, List<byte[]> leafHashes, boolean required) {
    Optional<byte[]> data = mirror.read(bundle);
    List<byte[]> entries;
    if (data.isPresent()) {
      entries = Tiles.entries(data.get());
    } else {
      Optional<byte[]> full = bundle.isFull() ? Optional.empty()
          : mirror.read(TilePath.entryBundle(bundle.index(), TilePath.FULL_WIDTH));
      if (full.isEmpty()) {
        if (required) {
          throw new InvalidProof("entry bundle " + bundle.path() + " is missing");
        }
        return 0;
      }
      entries = Tiles.entries(full.get());
      entries = entries.subList(0, Math.min(entries.size(), bundle.width()));
    }
    if (entries.size() != bundle.width()) {
      throw new InvalidProof("entry bundle " + bundle.path() + " holds " + entries.size() + " entries, not "
          + bundle.width());
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!MessageDigest.isEqual(MerkleHash.leafHash(entries.get(i)), leafHashes.get(i))) {
        long index = bundle.index() * TilePath.FULL_WIDTH + i;
        throw new InvalidProof("entry " + index + " (log sequence number " + (index + 1) + ") in bundle "
            + bundle.path() + " does not hash to its leaf hash in tile "
            + TilePath.hashes(0, bundle.index(), bundle.width()).path());
      }
    }
    return entries.size();
  }
}
