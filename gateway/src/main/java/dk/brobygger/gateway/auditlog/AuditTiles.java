package dk.brobygger.gateway.auditlog;

import dk.brobygger.auditproof.tiles.TileBuilder;
import dk.brobygger.auditproof.tiles.TilePath;
import dk.brobygger.auditproof.tiles.Tiles;
import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.RecordedAuditEntry;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The log as c2sp.org/tlog-tiles: hash tiles ({@code /audit/tile/<L>/<N>[.p/<W>]}) and entry bundles
 * ({@code /audit/tile/entries/<N>[.p/<W>]}) of the tree the newest checkpoint signs, so that a tile
 * client holding that checkpoint can verify every tile it fetches. A tile past the newest checkpoint
 * is not found, whatever has been committed since: no signed head vouches for it yet.
 *
 * <p>Tiles are made from the recorded leaf hashes on request; full hash tiles are kept in memory (at
 * most {@value #CACHED_TILES}, 8 KiB each) because they never change. Full tiles are served as
 * immutable with a year's cache lifetime, partial ones (which a log may delete once the full tile
 * exists) for a minute; entry bundles only to private caches, as they hold the entries.
 */
public final class AuditTiles {

  static final String MEDIA_TYPE = "application/octet-stream";
  private static final int CACHED_TILES = 1024;
  private static final String FULL = "max-age=31536000, immutable";
  private static final String PARTIAL = "max-age=60";
  private static final int PER_READ = 1_000;

  private final AuditLog log;
  private final CheckpointStore checkpoints;
  private final TileBuilder builder;

  public AuditTiles(AuditLog log, CheckpointStore checkpoints) {
    this.log = Objects.requireNonNull(log, "log");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.builder = new TileBuilder((from, to) -> RecordedLeaves.between(log, from, to), CACHED_TILES);
  }

  /**
   * Reads a tile path (below {@code /audit/tile/}).
   *
   * @throws Rejected (400) when it is not spelled as the spec says
   */
  static TilePath parse(String path) {
    return TilePath.parse(path).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Tile request rejected: '"
        + path + "' is not a tile path: <level>/<N>[.p/<width>] or entries/<N>[.p/<width>], level 0-63, N in"
        + " 3-digit groups all but the last prefixed with x (e.g. 0/x001/234), width 1-255"));
  }

  /**
   * The tile's bytes with its caching headers.
   *
   * @throws Rejected (404) when the newest checkpoint does not cover the whole tile
   */
  public RawReply tile(TilePath tile) {
    long signed = checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L);
    long end = tile.leafEnd().orElse(Long.MAX_VALUE);
    if (end > signed) {
      throw new Rejected(Rejected.Kind.NOT_FOUND, "Tile " + tile.path() + " is not available: it needs " + end
          + " entries and the newest checkpoint covers " + signed);
    }
    byte[] data = tile.entries() ? entryBundle(tile) : builder.hashTile(tile);
    String cache = (tile.entries() ? "private, " : "") + (tile.isFull() ? FULL : PARTIAL);
    return new RawReply(200, MEDIA_TYPE, data, Map.of("Cache-Control", cache));
  }

  private byte[] entryBundle(TilePath tile) {
    long from = tile.index() * TilePath.FULL_WIDTH;
    long to = from + tile.width();
    List<byte[]> entries = new ArrayList<>(tile.width());
    while (from + entries.size() < to) {
      List<RecordedAuditEntry> read = log.recorded(from + entries.size(), to, PER_READ);
      if (read.isEmpty()) {
        throw RecordedLeaves.missing(from + entries.size() + 1);
      }
      for (RecordedAuditEntry entry : read) {
        if (entry.sequence() != from + entries.size() + 1) {
          throw RecordedLeaves.missing(from + entries.size() + 1);
        }
        entries.add(entry.canonicalJson().getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return Tiles.entryBundle(entries);
    } catch (IllegalArgumentException e) {
      throw new Failed("audit entries " + (from + 1) + ".." + to + " cannot be served as an entry bundle: "
          + e.getMessage(), e);
    }
  }
}
