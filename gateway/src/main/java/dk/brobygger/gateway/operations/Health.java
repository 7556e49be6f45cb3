package dk.brobygger.gateway.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.brobygger.gateway.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness in the usual JSON shape ({@code {"status":"UP","checks":[{"name":..,
 * "status":..,"data":{..}}]}}, as MicroProfile Health and Vert.x health checks answer). Ready means:
 * not shutting down, the database answers, the delivery routes run, the message validator is warm, no
 * audit entry has waited for a
 * checkpoint longer than twice the checkpoint interval, and the data directory has disk space left.
 * The delivery check names the recipients an operator paused.
 */
public final class Health {

  /** Below this much free space in the data directory the gateway stops taking new work. */
  static final long MIN_FREE_BYTES = 256L * 1024 * 1024;
  private static final int DATABASE_TIMEOUT_SECONDS = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One probe's answer: the HTTP status (200 or 503) and its JSON body. */
  public record Report(boolean up, String json) {
    public int httpStatus() {
      return up ? 200 : 503;
    }
  }

  private record Check(boolean up, Map<String, Object> data) {}

  private final Database database;
  private final BooleanSupplier deliveryStarted;
  private final BooleanSupplier validatorReady;
  private final Duration checkpointInterval;
  private final Path dataDirectory;
  private final Clock clock;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final Optional<Supplier<Optional<Duration>>> witnessLag;

  /** @param validatorReady whether the message validator has loaded its definitions (seconds after start) */
  public Health(Database database, BooleanSupplier deliveryStarted, BooleanSupplier validatorReady,
      Duration checkpointInterval, Path dataDirectory, Clock clock) {
    this(database, deliveryStarted, validatorReady, checkpointInterval, dataDirectory, clock, Optional.empty());
  }

  /**
   * @param witnessLag with a witness policy: how long the newest checkpoint has waited for its
   *     quorum. Shown as a detail that never takes readiness down: witnesses must not block acceptance.
   */
  public Health(Database database, BooleanSupplier deliveryStarted, BooleanSupplier validatorReady,
      Duration checkpointInterval, Path dataDirectory, Clock clock, Optional<Supplier<Optional<Duration>>> witnessLag) {
    this.witnessLag = witnessLag;
    this.database = database;
    this.deliveryStarted = deliveryStarted;
    this.validatorReady = validatorReady;
    this.checkpointInterval = checkpointInterval;
    this.dataDirectory = dataDirectory;
    this.clock = clock;
  }

  /** The first step of a shutdown: from now on readiness is down, so load balancers send nothing new. */
  public void shuttingDown() {
    shuttingDown.set(true);
  }

  /** The process answers: nothing else is checked (a restart would not cure a database outage). */
  public Report live() {
    return report(Map.of());
  }

  /** Blocking (database and disk): call on a worker thread. */
  public Report ready() {
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("shutdown", new Check(!shuttingDown.get(), Map.of()));
    checks.put("database", database());
    // a paused recipient is the operator's choice, not a fault: shown, and still ready
    checks.put("delivery", new Check(deliveryStarted.getAsBoolean(), pausedRecipients()));
    // until the validator is warm a message waits, then gets 503: no traffic should be sent here yet
    checks.put("validator", new Check(validatorReady.getAsBoolean(), Map.of()));
    checks.put("checkpoint", checkpoint());
    checks.put("disk", disk());
    witnessLag.ifPresent(lag -> checks.put("witnesses", witnesses(lag)));
    return report(checks);
  }

  private Check database() {
    try {
      return database.read(c -> new Check(c.isValid(DATABASE_TIMEOUT_SECONDS), Map.of()));
    } catch (RuntimeException e) {
      return new Check(false, Map.of("error", e.getClass().getSimpleName()));
    }
  }

  private Map<String, Object> pausedRecipients() {
    try {
      List<String> paused = database.read(StoredMetrics::pausedRecipients);
      return paused.isEmpty() ? Map.of() : Map.of("pausedRecipients", paused);
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private Check checkpoint() {
    try {
      Optional<Instant> waitingSince = database.read(StoredMetrics::oldestUncheckpointed);
      Duration limit = checkpointInterval.multipliedBy(2);
      Duration waited = waitingSince.map(t -> Duration.between(t, clock.instant())).orElse(Duration.ZERO);
      return new Check(waited.compareTo(limit) <= 0,
          Map.of("oldestUncheckpointedSeconds", waited.toSeconds(), "limitSeconds", limit.toSeconds()));
    } catch (RuntimeException e) {
      return new Check(false, Map.of("error", e.getClass().getSimpleName()));
    }
  }

  private static Check witnesses(Supplier<Optional<Duration>> lag) {
    try {
      return new Check(true, Map.of("waitingForQuorumSeconds", lag.get().orElse(Duration.ZERO).toSeconds()));
    } catch (RuntimeException e) {
      return new Check(true, Map.of("error", e.getClass().getSimpleName()));
    }
  }

  private Check disk() {
    try {
      Path existing = dataDirectory.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      long free = existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
      return new Check(free >= MIN_FREE_BYTES, Map.of("freeBytes", free, "thresholdBytes", MIN_FREE_BYTES));
    } catch (IOException e) {
      return new Check(false, Map.of("error", e.getClass().getSimpleName()));
    }
  }

  private static Report report(Map<String, Check> checks) {
    boolean up = checks.values().stream().allMatch(Check::up);
    ObjectNode root = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
    ArrayNode list = root.putArray("checks");
    checks.forEach((name, check) -> {
      ObjectNode node = list.addObject().put("name", name).put("status", check.up() ? "UP" : "DOWN");
      if (!check.data().isEmpty()) {
        node.set("data", JSON.valueToTree(check.data()));
      }
    });
    return new Report(up, root.toString());
  }
}
