package dk.brobygger.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection may hold before it has sent a request: each whole request (headers and body)
 * must arrive within {@code requestTimeout} of the connection being free to send it (when it opens,
 * and after each answer), else the connection is closed, so a client that trickles bytes or idles
 * holds nothing for long; and one address may hold at most {@code maxPerAddress} connections.
 * Time spent working on a request that has fully arrived does not count.
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final long requestTimeoutMillis;
  private final int maxPerAddress;
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Map<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();

  public ConnectionGuard(Vertx vertx, Duration requestTimeout, int maxPerAddress) {
    this.vertx = vertx;
    this.requestTimeoutMillis = Math.max(1, requestTimeout.toMillis());
    this.maxPerAddress = maxPerAddress;
  }

  /** Guards every connection of the server; requests go on to {@code next}. */
  public HttpServer guard(HttpServer server, Handler<HttpServerRequest> next) {
    return server
        .connectionHandler(this::opened)
        .requestHandler(request -> {
          Deadline deadline = deadlines.get(request.connection());
          if (deadline != null) {
            deadline.current = request;
            request.response().endHandler(done -> deadline.arm());
          }
          next.handle(request);
        });
  }

  private void opened(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
    int open = count.incrementAndGet();
    Deadline deadline = new Deadline(connection);
    deadlines.put(connection, deadline);
    connection.closeHandler(closed -> {
      deadline.cancel();
      deadlines.remove(connection);
      if (count.decrementAndGet() <= 0) {
        perAddress.remove(address, count);
      }
    });
    if (open > maxPerAddress) {
      LOG.warn("closing a connection from {}: it holds {} already (http.max-connections-per-address)", address, open - 1);
      connection.close();
      return;
    }
    deadline.arm();
  }

  /** One connection's deadline for its next whole request. */
  private final class Deadline {
    private final HttpConnection connection;
    private long timer = -1;
    private HttpServerRequest current;

    Deadline(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      cancel();
      current = null;
      timer = vertx.setTimer(requestTimeoutMillis, fired -> {
        timer = -1;
        if (current == null || !current.isEnded()) {
          LOG.info("closing a connection from {}: no whole request within {} ms (http.request-timeout)",
              connection.remoteAddress(), requestTimeoutMillis);
          connection.close();
        }
      });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
