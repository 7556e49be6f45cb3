package dk.brobygger.auditproof.tiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes hash tiles from a log's leaf hashes: a level-0 tile is the leaf hashes themselves, a hash at
 * level l+1 is the hash of the full level-l tile below it. Full tiles never change once the tree has
 * grown past them, so the most recently used ones are kept (up to {@code cachedTiles}); a tile at a
 * higher level is then cheap, and a partial tile is recomputed from the full tiles below it.
 * Thread-safe.
 */
public final class TileBuilder {

  /** The recorded leaf hashes of leaves [from, to), in order, all of them. */
  @FunctionalInterface
  public interface LeafHashes {
    List<byte[]> read(long from, long to);
  }

  private final LeafHashes leaves;
  private final Map<TilePath, byte[]> fullTiles;

  public TileBuilder(LeafHashes leaves, int cachedTiles) {
    this.leaves = Objects.requireNonNull(leaves, "leaves");
    this.fullTiles = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<TilePath, byte[]> eldest) {
        return size() > cachedTiles;
      }
    };
  }

  /**
   * The bytes of a hash tile; the caller has checked that the tree covers it ({@link TilePath#leafEnd()}
   * at most the tree size).
   */
  public byte[] hashTile(TilePath tile) {
    if (tile.entries()) {
      throw new IllegalArgumentException("an entry bundle is not made of hashes");
    }
    if (tile.isFull()) {
      synchronized (fullTiles) {
        byte[] cached = fullTiles.get(tile);
        if (cached != null) {
          return cached.clone();
        }
      }
    }
    byte[] data = Tiles.hashTile(hashes(tile));
    if (tile.isFull()) {
      synchronized (fullTiles) {
        fullTiles.put(tile, data.clone());
      }
    }
    return data;
  }

  private List<byte[]> hashes(TilePath tile) {
    long first = tile.index() * TilePath.FULL_WIDTH;
    if (tile.level() == 0) {
      List<byte[]> read = leaves.read(first, first + tile.width());
      if (read.size() != tile.width()) {
        throw new IllegalStateException("asked for " + tile.width() + " leaf hashes from " + first + ", got " + read.size());
      }
      return read;
    }
    List<byte[]> hashes = new ArrayList<>(tile.width());
    for (int i = 0; i < tile.width(); i++) {
      TilePath below = TilePath.hashes(tile.level() - 1, first + i, TilePath.FULL_WIDTH);
      hashes.add(Tiles.parentHash(Tiles.hashes(hashTile(below), TilePath.FULL_WIDTH)));
    }
    return hashes;
  }
}
