package dk.brobygger.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Recipient systems on one local port (a path per party) that open every delivery with the party's
 * sample keys and log it: which party, its Idempotency-Key, the message id inside the sealed
 * payload, and the attempt header. It answers 200 to every readable delivery, like a recipient that
 * does not de-duplicate, so every copy the gateway sends shows in the log.
 */
final class RecordingRecipient implements AutoCloseable {

  /** One request as the recipient saw it; {@code messageId} is "unreadable" when it did not open. */
  record Delivery(String party, String idempotencyKey, String messageId, String attempt, Instant at) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final List<Delivery> log = new ArrayList<>();
  private final Writer file;
  private final Map<SampleParty, SampleRecipientOpener> openers = new ConcurrentHashMap<>();
  /** Runs (once) when the next delivery has arrived and before it is answered, e.g. a SIGKILL of the sender. */
  private final AtomicReference<java.util.function.Consumer<Delivery>> beforeNextAnswer = new AtomicReference<>();

  RecordingRecipient(Path logFile) {
    try {
      file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (SampleParty party : List.of(SampleParty.GP, SampleParty.HOSPITAL, SampleParty.ADDICTION_CENTRE)) {
      openers.put(party, new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(party), InsecureSampleKeys.gatewaySigningPublicKeys()));
      server.createContext("/" + party.id(), exchange -> receive(party, exchange));
    }
    server.setExecutor(threads);
    server.start();
  }

  /** Endpoints for the directory: each recipient party's id -> its URL here. */
  Map<String, String> endpoints() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    return Map.of(
        SampleParty.GP.id(), base + SampleParty.GP.id(),
        SampleParty.HOSPITAL.id(), base + SampleParty.HOSPITAL.id(),
        SampleParty.ADDICTION_CENTRE.id(), base + SampleParty.ADDICTION_CENTRE.id());
  }

  /** Arms a one-shot action that runs while the next delivery waits for its answer. */
  void beforeNextAnswer(Runnable action) {
    beforeNextAnswer.set(delivery -> action.run());
  }

  /** As {@link #beforeNextAnswer(Runnable)}, told which delivery it holds up. */
  void beforeNextAnswer(java.util.function.Consumer<Delivery> action) {
    beforeNextAnswer.set(action);
  }

  /** Disarms the one-shot action; true if it had not run yet. */
  boolean disarm() {
    return beforeNextAnswer.getAndSet(null) != null;
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(log);
  }

  private void receive(SampleParty party, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String messageId;
      try {
        JsonNode bundle = JSON.readTree(openers.get(party).open(body).payload());
        messageId = bundle.path("entry").path(0).path("resource").path("id").asText("unreadable");
      } catch (RuntimeException | IOException e) {
        messageId = "unreadable";
      }
      Delivery delivery = new Delivery(party.id(), exchange.getRequestHeaders().getFirst("Idempotency-Key"), messageId,
          exchange.getRequestHeaders().getFirst("X-Brobygger-Attempt"), Instant.now());
      record(delivery);
      java.util.function.Consumer<Delivery> action = beforeNextAnswer.getAndSet(null);
      if (action != null) {
        action.accept(delivery);
      }
      int status = messageId.equals("unreadable") ? 400 : 200;
      exchange.sendResponseHeaders(status, -1);
    } catch (IOException e) {
      // the gateway was killed while we answered: the delivery is logged, the answer is lost
    }
  }

  private synchronized void record(Delivery delivery) {
    log.add(delivery);
    try {
      file.write(delivery.at() + " " + delivery.party() + " Idempotency-Key=" + delivery.idempotencyKey()
          + " message=" + delivery.messageId() + " attempt=" + delivery.attempt() + "\n");
      file.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
