package dk.brobygger.gateway.db;

import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.AuditLogTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import dk.brobygger.gateway.testing.Tiers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own PostgreSQL (no db.url): durable, private, one per data directory, and back after a kill. */
@Tag(Tiers.INTEGRATION)
class EmbeddedPostgresServerTest {

  @TempDir Path data;

  @Test
  void itRunsDurablyOn127_0_0_1WithAPasswordOnlyTheGatewayCanRead() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 2)) {
      StorageSettings settings = server.settings();
      assertThat(settings.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
      try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
        for (String setting : List.of("fsync", "full_page_writes", "synchronous_commit")) {
          assertThat(show(c, setting)).as(setting).isEqualTo("on");
        }
        assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(show(c, "unix_socket_directories")).isEmpty();
      }
      assertThatThrownBy(() -> DriverManager.getConnection(settings.jdbcUrl(), settings.user(), "wrong"))
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
      assertThatThrownBy(() -> DriverManager.getConnection(settings.jdbcUrl(), settings.user(), null))
          .isInstanceOf(SQLException.class);
      Path password = data.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
      assertThat(Files.readString(password).trim()).isEqualTo(settings.password());
      assertThat(data.resolve(EmbeddedPostgresServer.CLUSTER).resolve("PG_VERSION")).exists();
    }
  }

  @Test
  void aStoppedServerStartsAgainWithItsData() {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 2);
        Database db = Database.open(server.settings())) {
      new AuditLog(db).append(AuditLogTest.entry("kept"));
    }
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 2);
        Database db = Database.open(server.settings())) {
      assertThat(new AuditLog(db).read(1, 10)).hasSize(1);
    }
  }

  @Test
  void aSecondGatewayOnTheSameDataDirectoryIsRefusedWhileTheFirstRuns() {
    try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 2)) {
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 2))
          .isInstanceOf(Failed.class)
          .hasMessageContaining("in use by another running gateway");
      assertThat(first.settings().jdbcUrl()).isNotBlank();
    }
  }

  @Test
  void aFirstStartThatDiedHalfWayIsInitialisedAfresh() throws IOException {
    Path cluster = Files.createDirectories(data.resolve(EmbeddedPostgresServer.CLUSTER));
    Files.writeString(cluster.resolve("PG_VERSION"), "17\n"); // what initdb leaves when killed early

    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 2);
        Database db = Database.open(server.settings())) {
      assertThat(new AuditLog(db).lastSequence()).isZero();
    }
  }

  @Test
  void afterTheGatewayProcessIsKilledARestartStopsTheLeftOverServerAndKeepsEveryCommit()
      throws Exception {
    Process gateway = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        EmbeddedServerProcess.class.getName(), data.toString())
        .redirectError(data.resolveSibling(data.getFileName() + "-process.err").toFile())
        .start();
    long leftOver;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine(); // its log lines come first, on the same stream
      while (line != null && !line.startsWith("committed ")) {
        line = out.readLine();
      }
      assertThat(line).as("the process's report (its log is beside the data directory)").isEqualTo("committed 1");
      leftOver = postmasterPid();

      gateway.destroyForcibly(); // SIGKILL: nothing of the gateway runs its shutdown
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      gateway.destroyForcibly();
    }
    assertThat(ProcessHandle.of(leftOver).map(ProcessHandle::isAlive))
        .as("the killed gateway's postmaster is still running on the data directory").contains(true);

    try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(data, 2);
        Database db = Database.open(restarted.settings())) {
      assertThat(ProcessHandle.of(leftOver).map(ProcessHandle::isAlive).orElse(false))
          .as("the left-over postmaster was stopped").isFalse();
      assertThat(postmasterPid()).isNotEqualTo(leftOver);
      AuditLog audit = new AuditLog(db);
      assertThat(audit.read(1, 10)).as("the commit acknowledged before the kill").hasSize(1);
      assertThat(audit.append(AuditLogTest.entry("after the restart"))).isEqualTo(2);
    }
  }

  private long postmasterPid() throws IOException {
    Path pidFile = data.resolve(EmbeddedPostgresServer.CLUSTER).resolve("postmaster.pid");
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }
}
