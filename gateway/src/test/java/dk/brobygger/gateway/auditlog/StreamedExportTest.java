package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dk.brobygger.auditproof.ExportEntry;
import dk.brobygger.gateway.testing.StorageTest;
import dk.brobygger.auditproof.ExportWriter;
import dk.brobygger.gateway.auditlog.entries.RecordedAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.http.ResponseStream;
import dk.brobygger.gateway.storage.StoredCheckpoint;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export streamed over HTTP as the gateway streams it ({@link ResponseStream} on a worker of a
 * "brobygger-db" executor, entries off a database cursor): the same bytes as an export read in
 * pages and held whole, verifiable offline; a client that stops reading stops the reading of the
 * log (it does not pile up in the heap); a client that goes away ends the query and frees the
 * connection.
 */
@StorageTest
class StreamedExportTest {

  // about 3 MB of export: far more than the socket buffers and Vert.x's write queue hold together
  private static final int ENTRIES = 6_000;

  @TempDir Path temp;
  private AuditTestLog log;
  private Vertx vertx;
  private int port;
  private final List<ResponseStream> streams = new CopyOnWriteArrayList<>();
  private final List<Exception> cutOff = new CopyOnWriteArrayList<>();

  @BeforeEach
  void aCheckpointedLogAndAServerThatStreamsItsExport(StorageSettings fresh) throws Exception {
    log = new AuditTestLog(fresh, temp, 1_000_000, Duration.ofHours(1));
    log.storage.db().inTransaction(c -> {
      for (int i = 1; i <= ENTRIES; i++) {
        log.storage.audit().append(c, AuditTestLog.entry(i));
      }
      return null;
    });
    assertThat(log.checkpointer.checkpointNow().treeSize()).isEqualTo(ENTRIES);

    vertx = Vertx.vertx();
    WorkerExecutor databaseWork = vertx.createSharedWorkerExecutor("brobygger-db", 2);
    Router router = Router.router(vertx);
    router.get("/export").handler(ctx -> databaseWork.executeBlocking(() -> {
      AuditExport.Range range = log.export.range(Optional.empty(), Optional.empty(), Optional.empty());
      ctx.response().setChunked(true).putHeader("Content-Type", AuditExport.MEDIA_TYPE);
      ResponseStream out = new ResponseStream(ctx.response(), Duration.ofMinutes(1));
      streams.add(out);
      try {
        log.export.write(range, out);
        out.close();
      } catch (IOException | RuntimeException e) {
        cutOff.add(e);
        out.abort();
      }
      return null;
    }, false));
    // a fixed send buffer turns off the kernel's growing of it (up to 4 MB here), so that the socket fills
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSendBufferSize(8 * 1024))
        .requestHandler(router).listen(0)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    log.close();
  }

  @Test
  void aClientThatStopsReadingStopsTheReadingOfTheLogAndThenGetsTheSameBytesAsAWholeExport() throws Exception {
    try (Socket client = slowClient()) {
      awaitWaitingForClient();
      long readWhileFull = log.export.entriesRead();
      assertThat(readWhileFull).as("entries read from the database while the client's socket is full")
          .isPositive().isLessThan(ENTRIES - 1_000);

      byte[] body = dechunk(new java.io.BufferedInputStream(client.getInputStream()));
      Path streamed = temp.resolve("streamed.ndjson");
      Files.write(streamed, body);
      assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo(wholeExportReadInPages());
      assertThat(log.export.entriesRead()).as("every entry read once").isEqualTo(ENTRIES);
      assertThat(log.verifyExport(streamed).exit()).as("the offline verifier accepts the streamed export").isZero();
    }
  }

  @Test
  void aClientThatGoesAwayEndsTheQueryAndItsConnectionReturnsToThePool() throws Exception {
    HikariDataSource pool = (HikariDataSource) log.storage.db().dataSource();
    try (Socket client = slowClient()) {
      awaitWaitingForClient();
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("the export's cursor holds one").isEqualTo(1);
      client.setSoLinger(true, 0); // a reset, as a client that crashes
    }
    await("the export ends once the client is gone").atMost(Duration.ofMinutes(1)).until(() -> !cutOff.isEmpty());
    await("its connection is back in the pool").atMost(Duration.ofMinutes(1))
        .until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
    assertThat(log.export.entriesRead()).as("the rest of the log was not read").isLessThan(ENTRIES - 1_000);
  }

  private void awaitWaitingForClient() {
    try {
      await("the export is under way and waits for the client to take what it sent").atMost(Duration.ofMinutes(1))
          .until(() -> !streams.isEmpty() && streams.get(0).waitsForClient() > 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("streams " + streams.size() + ", entries read " + log.export.entriesRead()
          + ", cut off " + cutOff, e);
    }
  }

  /** Asks for the export with a small receive buffer and reads nothing yet. */
  private Socket slowClient() throws IOException {
    Socket client = new Socket();
    client.setReceiveBufferSize(4 * 1024);
    client.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    OutputStream request = client.getOutputStream();
    request.write(("GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    request.flush();
    return client;
  }

  /** The export as it was made before it was streamed: entries read a page at a time, written whole. */
  private String wholeExportReadInPages() throws IOException {
    List<ExportEntry> entries = new java.util.ArrayList<>();
    while (entries.size() < ENTRIES) {
      for (RecordedAuditEntry e : log.storage.audit().recorded(entries.size(), ENTRIES, 1_000)) {
        entries.add(new ExportEntry(e.sequence() - 1, e.canonicalJson(), e.leafHash()));
      }
    }
    StoredCheckpoint checkpoint = log.checkpoints.ofSize(ENTRIES).orElseThrow();
    StringWriter out = new StringWriter();
    ExportWriter.write(out, Optional.empty(), entries, Optional.empty(), checkpoint.note().orElse(checkpoint.jws()));
    return out.toString();
  }

  /** The body of an HTTP/1.1 chunked answer (status line and headers skipped). */
  private static byte[] dechunk(InputStream in) throws IOException {
    String status = line(in);
    assertThat(status).startsWith("HTTP/1.1 200");
    while (!line(in).isEmpty()) {
      // headers
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
      body.write(in.readNBytes(size));
      line(in);
    }
    return body.toByteArray();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the answer ended in the middle of a line");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
