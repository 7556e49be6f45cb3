package dk.brobygger.bench.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recipient system that does nothing but count: every POST is answered 200 at once, its
 * Idempotency-Key and arrival time kept, so that distinct keys and deliveries can be compared
 * (a copy delivered twice shows as more deliveries than keys). It does not decrypt: the gateway's
 * cost is what is measured, not the recipient's.
 */
final class RecipientStub implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  /** Idempotency-Key -> System.nanoTime() of its first arrival. */
  private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicLong withoutKey = new AtomicLong();

  private RecipientStub(HttpServer server) {
    this.server = server;
  }

  static RecipientStub start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    RecipientStub stub = new RecipientStub(server);
    server.createContext("/", stub::receive);
    server.setExecutor(stub.threads);
    server.start();
    return stub;
  }

  /** Where the directory sends this party's messages. */
  String endpoint(String partyId) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + partyId;
  }

  private void receive(HttpExchange exchange) throws IOException {
    long now = System.nanoTime();
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(java.io.OutputStream.nullOutputStream());
    }
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    deliveries.incrementAndGet();
    if (key == null) {
      withoutKey.incrementAndGet();
    } else {
      firstArrival.putIfAbsent(key, now);
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  long deliveries() {
    return deliveries.get();
  }

  long distinctKeys() {
    return firstArrival.size();
  }

  long deliveriesWithoutKey() {
    return withoutKey.get();
  }

  /** When the message with this id first arrived (System.nanoTime), or null. */
  Long arrivalOf(String messageId) {
    return firstArrival.get(messageId);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
