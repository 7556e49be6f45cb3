package dk.brobygger.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.auditproof.tiles.TilePath;
import dk.brobygger.gateway.auditlog.AuditTiles;
import dk.brobygger.gateway.auditlog.Checkpointer;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.EmbeddedPostgresServer;
import dk.brobygger.keys.InsecureSampleKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable audit appends per second on the embedded PostgreSQL, with the checkpointer running as the
 * gateway runs it (a signed checkpoint every 256 entries or 10 s). Each append is its own transaction
 * and returns once it is on disk; concurrent commits share WAL flushes (group commit), so run it with
 * several threads ({@code -t 8}) to see what the log allows the gateway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditAppendBenchmark {

  private Path directory;
  private EmbeddedPostgresServer server;
  private Database database;
  private AuditLog audit;
  private Checkpointer checkpointer;
  private CheckpointStore checkpoints;
  private AuditTiles tiles;
  private AuditEvent entry;

  @Setup(Level.Trial)
  public void openLogWithCheckpointer() throws IOException {
    directory = Files.createTempDirectory("brobygger-audit-bench");
    server = EmbeddedPostgresServer.start(directory, 16);
    database = Database.open(server.settings());
    audit = new AuditLog(database);
    ECKey key = (ECKey) InsecureSampleKeys.gatewaySigningKeys().getKeys().stream()
        .filter(k -> k instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) && k.isPrivate())
        .findFirst().orElseThrow();
    OctetKeyPair noteKey = (OctetKeyPair) InsecureSampleKeys.auditCheckpointKeys().getKeys().get(0);
    checkpoints = new CheckpointStore(database);
    tiles = new AuditTiles(audit, checkpoints);
    checkpointer = new Checkpointer(audit, checkpoints, key,
        new NoteSigner(Checkpointer.DEFAULT_ORIGIN, noteKey.getDecodedD(), noteKey.getDecodedX()), 256,
        Duration.ofSeconds(10), Clock.systemUTC());
    checkpointer.start();
    entry = new AuditEvent.ConsentDecided(Clock.systemUTC().instant(), "svendborg-nurse@10.0.0.7",
        Optional.of(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234")),
        "0b1c7a52-5d59-4f3e-9d1e-6f0d2b6c1e11", "gp-svendborg", true, Optional.of(new ConsentVersion("c-4711", 2)),
        List.of("Consent/c-4711/_history/2 permits gp for TREAT"));
  }

  @Benchmark
  public long appendDurably() {
    return audit.append(entry);
  }

  /** Appends while {@link #tailTiles} serves tiles: acceptance load with a tile client watching. */
  @Benchmark
  @Group("appendWhileTilesAreServed")
  @GroupThreads(7)
  public long append() {
    return audit.append(entry);
  }

  /**
   * What a tile client tailing the log fetches each round, served as GET /audit/tile/... serves it
   * (minus HTTP): the newest checkpoint, then the rightmost hash tile at every level and the newest
   * entry bundle. Full tiles come from the cache; partial ones are made from the database.
   */
  @Benchmark
  @Group("appendWhileTilesAreServed")
  @GroupThreads(1)
  public int tailTiles() {
    long size = checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L);
    Map<String, TilePath> rightmost = new HashMap<>();
    for (TilePath tile : TilePath.forTree(size, true)) { // in index order within each level
      rightmost.put(tile.entries() + "/" + tile.level(), tile);
    }
    int bytes = 0;
    for (TilePath tile : rightmost.values()) {
      bytes += tiles.tile(tile).body().length;
    }
    return bytes;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    checkpointer.close();
    long covered = checkpointer.latest().orElseThrow().treeSize();
    long appended = audit.lastSequence();
    database.close();
    server.close();
    System.out.println("\nappended " + appended + " entries; the last checkpoint covers " + covered);
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
