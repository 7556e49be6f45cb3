package dk.brobygger.gateway.db;

import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.AuditLogTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A JVM that does what a gateway does with the embedded default: starts the server on a data
 * directory, opens the database and appends durably to the audit log. It prints "committed N" once
 * entry N is committed and then waits to be killed (EmbeddedPostgresServerTest SIGKILLs it).
 */
public final class EmbeddedServerProcess {

  private EmbeddedServerProcess() {}

  public static void main(String[] args) throws IOException {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 2);
    Database database = Database.open(server.settings());
    long seq = new AuditLog(database).append(AuditLogTest.entry("before the kill at " + Clock.systemUTC().instant()));
    System.out.println("committed " + seq);
    System.out.flush();
    // until killed: the test never writes to our stdin
    while (System.in.read() >= 0) {
      // nothing
    }
  }
}
