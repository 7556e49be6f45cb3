package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.brobygger.gateway.http.ConsentResource;
import dk.brobygger.gateway.storage.PostgresStorage;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient that is stalled but alive (it trickles its answer, a byte every 100 ms: no socket
 * timeout ever fires) holds a withdrawal's answer only until the
 * attempt's deadline: the sending instance aborts the call then, the withdrawal, answered by the
 * other of two gateway instances on one PostgreSQL, names the aborted disclosure honestly, the Task
 * does not claim "cancelled", and nothing reaches the recipient after the 200. Each instance's
 * directory gives the GP its own path, so the path a request arrives on tells which instance sent it.
 * (A call still writing its payload is aborted at once instead: see camel-routes' DeliveryServiceTest.)
 */
@EndToEndTest
class WithdrawalAbortsStalledDeliveryTest {

  private static final String JSON = "application/fhir+json";
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(3);
  /** Start + 5 s preparation + 1 s connect + the response timeout: when the call is aborted. */
  private static final Duration DEADLINE = Duration.ofSeconds(9);

  /**
   * The GP: notes each request, with the time it had fully arrived, then trickles an answer that
   * never ends, a byte every 100 ms, until the gateway closes the connection.
   */
  private static final class TricklingGp implements AutoCloseable {
    record Arrival(String path, Instant at) {}

    final List<Arrival> seen = new CopyOnWriteArrayList<>();
    private final ServerSocket server;

    TricklingGp() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::serve, "trickling-gp");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          Thread connection = new Thread(() -> answerSlowly(socket), "trickling-gp-connection");
          connection.setDaemon(true);
          connection.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void answerSlowly(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            return;
          }
          head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        int length = 0;
        for (String line : lines) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).strip());
          }
        }
        in.readNBytes(length);
        seen.add(new Arrival(lines[0].split(" ")[1], Instant.now()));
        OutputStream out = socket.getOutputStream();
        byte[] answer = "HTTP/1.1 200 OK\r\nX-Slowly: ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; ; i++) {
          out.write(i < answer.length ? answer[i] : 'x');
          out.flush();
          Thread.sleep(100); // the recipient's pace, which the test is about
        }
      } catch (IOException | InterruptedException closedByGateway) {
        // the gateway gave the call up
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @TempDir Path temp;
  private PostgresStorage.FreshSchema database;
  private TricklingGp gp;
  private TestGateway one;
  private TestGateway two;

  @BeforeEach
  void start() throws IOException {
    database = PostgresStorage.freshSchema();
    gp = new TricklingGp();
    String url = database.settings().jdbcUrl();
    String[] slowRecipient = {"--db.url", url, "--delivery.response-timeout", "PT" + RESPONSE_TIMEOUT.toSeconds() + "S",
        "--delivery.lease", "PT30S"};
    one = TestGateway.start(temp.resolve("one"), Map.of("laegehuset-sydfyn", gp.baseUrl() + "/gp-one"), slowRecipient);
    two = TestGateway.start(temp.resolve("two"), Map.of("laegehuset-sydfyn", gp.baseUrl() + "/gp-two"), slowRecipient);
  }

  @AfterEach
  void stop() throws IOException {
    if (two != null) {
      two.close();
    }
    if (one != null) {
      one.close();
    }
    gp.close();
    database.close();
  }

  @Test
  void aWithdrawalOnTheOtherInstanceIsAnsweredOnceTheStalledCallIsAbortedAtItsDeadlineAndNamesIt() {
    String consentId = Fixtures.recordConsent(one, Fixtures.consentPermitting(organisation(GP_SOR)));
    HttpResponse<String> accepted = one.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String taskId = Fixtures.taskOf(accepted).getIdElement().getIdPart();
    TricklingGp.Arrival first = await("the referral to reach the GP").atMost(Duration.ofSeconds(30))
        .until(() -> gp.seen.isEmpty() ? null : gp.seen.get(0), a -> a != null);
    TestGateway other = first.path().endsWith("/gp-one") ? two : one;

    Instant asked = Instant.now();
    HttpResponse<String> withdrawn = Fixtures.withdraw(other, consentId);
    Instant answered = Instant.now();

    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
    assertThat(Duration.between(asked, answered))
        .as("answered once the call was aborted at its deadline, %s after its start, not when the trickle ends", DEADLINE)
        .isLessThan(DEADLINE.plusSeconds(5));
    assertThat(withdrawn.headers().firstValue(ConsentResource.IN_FLIGHT_HEADER)).hasValueSatisfying(named ->
        assertThat(named).contains("Task/" + taskId + " attempt 1")
            .contains("aborted at the attempt's deadline")
            .contains("aborted before completion; recipient may have received bytes"));
    assertThat(one.auditEntries("WITHDRAWAL_FENCED")).singleElement().asString()
        .contains("recipient may have received bytes");

    Task settled = await("Task/" + taskId + " to settle").atMost(Duration.ofSeconds(60)).until(() -> task(taskId),
        t -> t.getStatus() == Task.TaskStatus.FAILED || t.getStatus() == Task.TaskStatus.CANCELLED
            || t.getStatus() == Task.TaskStatus.COMPLETED);
    assertThat(settled.getStatus()).as("not cancelled: the recipient may have the message").isEqualTo(Task.TaskStatus.FAILED);
    assertThat(settled.getStatusReason().getText()).contains("not marked cancelled")
        .endsWith("got no answer, so the recipient may have received the message");
    assertThat(gp.seen).as("requests at the GP; none after the withdrawal's 200")
        .allSatisfy(a -> assertThat(a.at()).isBefore(answered))
        .hasSize(1);
  }

  private Task task(String taskId) {
    return Fixtures.FHIR.newJsonParser().parseResource(Task.class, one.get("/Task/" + taskId).body());
  }
}
