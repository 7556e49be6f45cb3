package dk.brobygger.gateway.auditlog;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.storage.TestStorage;
import dk.brobygger.keys.InsecureSampleKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A storage with an audit log, a checkpointer on the sample gateway key, and helpers to tamper and verify. */
final class AuditTestLog implements AutoCloseable {

  static final ECKey SIGNING_KEY = (ECKey) InsecureSampleKeys.gatewaySigningKeys().getKeys().stream()
      .filter(key -> key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) && key.isPrivate())
      .findFirst().orElseThrow();

  /** The sample audit-checkpoint key, as the gateway loads it, under the default origin. */
  static final NoteSigner NOTE_KEY = noteKey(InsecureSampleKeys.auditCheckpointKeys(), Checkpointer.DEFAULT_ORIGIN);

  final TestStorage storage;
  final CheckpointStore checkpoints;
  final Checkpointer checkpointer;
  final AuditExport export;
  final Path dir;

  /** @param fresh an empty database; @param dir where exports and key files go */
  AuditTestLog(StorageSettings fresh, Path dir, long everyEntries, Duration interval) {
    this.dir = dir;
    this.storage = TestStorage.open(fresh);
    this.checkpoints = new CheckpointStore(storage.db());
    this.checkpointer =
        new Checkpointer(storage.audit(), checkpoints, SIGNING_KEY, NOTE_KEY, everyEntries, interval, storage.clock());
    this.export = new AuditExport(storage.audit(), checkpoints);
  }

  static AuditEvent entry(int n) {
    return new AuditEvent.ConsentDecided(Instant.parse("2025-03-03T08:15:30.123456Z").plusSeconds(n),
        "svendborg-nurse@10.0.0." + n, Optional.of(new CitizenIdentifier(CitizenIdentifier.CPR, "01010112" + (10 + n))),
        "msg-" + n, "gp-svendborg", n % 3 != 0, Optional.empty(), List.of("reason " + n, "Ærø æøå"));
  }

  void append(int entries) {
    for (int i = 1; i <= entries; i++) {
      storage.audit().append(entry(i));
    }
  }

  /** Exports [from, to) (to = the newest checkpoint) to a file. */
  Path exportFile(long from, Optional<Long> previous) throws IOException {
    StringWriter out = new StringWriter();
    export.write(export.range(Optional.of(from), Optional.empty(), previous), out);
    Path file = Files.createTempFile(dir, "export", ".ndjson");
    Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    return file;
  }

  Path jwks(JWKSet keys) throws IOException {
    Path file = Files.createTempFile(dir, "keys", ".jwks");
    Files.writeString(file, keys.toPublicJWKSet().toString(), StandardCharsets.UTF_8);
    return file;
  }

  static NoteSigner noteKey(JWKSet set, String origin) {
    OctetKeyPair key = (OctetKeyPair) set.getKeys().get(0);
    return new NoteSigner(origin, key.getDecodedD(), key.getDecodedX());
  }

  /** A file holding the verifier key ({@code name+id+key}) of {@code key}, as GET /audit/key serves it. */
  Path logKey(NoteSigner key) throws IOException {
    Path file = Files.createTempFile(dir, "log", ".vkey");
    Files.writeString(file, key.verifier().verifierKey() + "\n", StandardCharsets.UTF_8);
    return file;
  }

  Path gatewayJwks() throws IOException {
    return jwks(new JWKSet((JWK) SIGNING_KEY.toPublicJWK()));
  }

  /** Runs the offline verifier. */
  Cli verify(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = dk.brobygger.auditproof.AuditCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Cli verifyExport(Path export) throws IOException {
    return verify("audit", "verify", "--export", export.toString(), "--jwks", gatewayJwks().toString(),
        "--log-key", logKey(NOTE_KEY).toString());
  }

  record Cli(int exit, String out, String err) {}

  /** Changes the database directly, as someone with database access could: test code only. */
  void sql(String... statements) {
    try (Connection c = storage.db().dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, List<String> lines) {
    try {
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    checkpointer.close();
    storage.close();
  }
}
