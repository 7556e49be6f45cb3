package dk.brobygger.auditproof.tiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The coordinates of one c2sp.org/tlog-tiles resource and its path below {@code <prefix>/tile/}:
 * {@code <L>/<N>[.p/<W>]} for a hash tile, {@code entries/<N>[.p/<W>]} for an entry bundle. N is
 * written in zero-padded 3-digit path elements, all but the last prefixed with {@code x}
 * (1234067 is {@code x001/x234/067}); {@code .p/<W>} only for partial tiles (1 to 255 wide).
 *
 * @param entries whether this is an entry bundle rather than a hash tile
 * @param level the tile's level (0 to 63; 0 for entry bundles)
 * @param index the tile's index within its level (N)
 * @param width how many hashes (or entries) it holds: {@link #FULL_WIDTH} for a full tile
 */
public record TilePath(boolean entries, int level, long index, int width) {

  /** Hashes (or entries) in a full tile: tiles have height 8. */
  public static final int FULL_WIDTH = 256;
  /** The highest level the spec allows. */
  public static final int MAX_LEVEL = 63;

  private static final Pattern LEVEL = Pattern.compile("0|[1-9][0-9]?");
  private static final Pattern WIDTH = Pattern.compile("[1-9][0-9]{0,2}");
  private static final Pattern GROUP = Pattern.compile("x?[0-9]{3}");

  public TilePath {
    if (level < 0 || level > MAX_LEVEL || (entries && level != 0)) {
      throw new IllegalArgumentException("tile level " + level + " is not between 0 and " + MAX_LEVEL);
    }
    if (index < 0) {
      throw new IllegalArgumentException("tile index " + index + " is negative");
    }
    if (width < 1 || width > FULL_WIDTH) {
      throw new IllegalArgumentException("tile width " + width + " is not between 1 and " + FULL_WIDTH);
    }
  }

  /** The hash tile at {@code level}, {@code index}, of {@code width} hashes. */
  public static TilePath hashes(int level, long index, int width) {
    return new TilePath(false, level, index, width);
  }

  /** The entry bundle {@code index} of {@code width} entries. */
  public static TilePath entryBundle(long index, int width) {
    return new TilePath(true, 0, index, width);
  }

  public boolean isFull() {
    return width == FULL_WIDTH;
  }

  /**
   * The path below {@code <prefix>/tile/}, e.g. {@code 0/x001/234.p/5} or {@code entries/007}.
   */
  public String path() {
    StringBuilder n = new StringBuilder(String.format("%03d", index % 1000));
    for (long rest = index / 1000; rest > 0; rest /= 1000) {
      n.insert(0, String.format("x%03d/", rest % 1000));
    }
    return (entries ? "entries" : Integer.toString(level)) + "/" + n + (isFull() ? "" : ".p/" + width);
  }

  /**
   * Reads a path below {@code <prefix>/tile/}; only the one spelling {@link #path()} writes is
   * accepted (no extra leading zeroes, no {@code .p/256}), so that every tile has one name.
   */
  public static Optional<TilePath> parse(String path) {
    String[] parts = path.split("/", -1);
    if (parts.length < 2) {
      return Optional.empty();
    }
    boolean entries = parts[0].equals("entries");
    if (!entries && !LEVEL.matcher(parts[0]).matches()) {
      return Optional.empty();
    }
    int end = parts.length;
    int width = FULL_WIDTH;
    if (parts.length >= 3 && parts[end - 2].endsWith(".p")) {
      if (!WIDTH.matcher(parts[end - 1]).matches()) {
        return Optional.empty();
      }
      width = Integer.parseInt(parts[end - 1]);
      if (width >= FULL_WIDTH) {
        return Optional.empty();
      }
      parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
      end--;
    }
    if (end - 1 > 7) { // more 3-digit groups than a long holds
      return Optional.empty();
    }
    long index = 0;
    for (int i = 1; i < end; i++) {
      if (!GROUP.matcher(parts[i]).matches() || (parts[i].startsWith("x") != (i < end - 1))) {
        return Optional.empty();
      }
      index = index * 1000 + Integer.parseInt(parts[i].substring(parts[i].length() - 3));
    }
    int level = entries ? 0 : Integer.parseInt(parts[0]);
    if (level > MAX_LEVEL || index < 0) {
      return Optional.empty();
    }
    TilePath tile = new TilePath(entries, level, index, width);
    return tile.path().equals(path) ? Optional.of(tile) : Optional.empty();
  }

  /**
   * The first leaf past this tile's hashes: (index * 256 + width) * 256^level, or empty if that
   * exceeds any tree a long can count.
   */
  public Optional<Long> leafEnd() {
    try {
      long end = Math.addExact(Math.multiplyExact(index, FULL_WIDTH), width);
      for (int l = 0; l < level; l++) {
        end = Math.multiplyExact(end, FULL_WIDTH);
      }
      return Optional.of(end);
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** Leaves spanned by each hash of a tile at this level: 256^level (level at most 7). */
  public long leavesPerHash() {
    if (level > 7) {
      throw new ArithmeticException("a hash at level " + level + " spans more leaves than a long counts");
    }
    return 1L << (8 * level);
  }

  /**
   * The tiles that make up a tree of {@code treeSize} leaves, lowest level first: at each level the
   * full tiles and, where the tree does not end on a full tile, the one partial tile of width
   * floor(size / 256^level) mod 256. Empty tiles are not listed.
   */
  public static List<TilePath> forTree(long treeSize, boolean withEntries) {
    List<TilePath> tiles = new ArrayList<>();
    long hashes = treeSize; // hashes at this level: floor(size / 256^level)
    for (int level = 0; hashes > 0; level++) {
      long full = hashes / FULL_WIDTH;
      int partial = (int) (hashes % FULL_WIDTH);
      for (long n = 0; n < full; n++) {
        tiles.add(hashes(level, n, FULL_WIDTH));
        if (withEntries && level == 0) {
          tiles.add(entryBundle(n, FULL_WIDTH));
        }
      }
      if (partial > 0) {
        tiles.add(hashes(level, full, partial));
        if (withEntries && level == 0) {
          tiles.add(entryBundle(full, partial));
        }
      }
      hashes = full;
    }
    return tiles;
  }
}
