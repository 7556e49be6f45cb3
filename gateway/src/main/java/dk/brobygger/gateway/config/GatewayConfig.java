package dk.brobygger.gateway.config;

import dk.brobygger.delivery.DeliveryPolicy;
import dk.brobygger.gateway.storage.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gateway is started with, resolved and checked before anything starts.
 *
 * @param httpHost interface to listen on
 * @param httpPort port (0 = any free port)
 * @param publicBaseUrl base URL for Location headers, when callers see another one
 * @param maxBodyBytes largest accepted request body
 * @param dataDirectory where the embedded database lives
 * @param storage the database to use
 * @param directoryFile the recipient directory (empty = built-in sample directory)
 * @param delivery how delivery retries
 * @param lease how long a claimed outbox row stays reserved for this instance
 * @param tls whether to serve HTTPS
 * @param keysDirectory the gateway's key set (empty = the insecure sample keys)
 * @param tokenLifetime lifetime of issued access tokens
 * @param auditCheckpointEntries sign an audit checkpoint after this many new entries
 * @param auditCheckpointInterval and at least this often while entries wait
 * @param auditOrigin the audit log's origin (checkpoint first line, note key name)
 * @param auditWitnessPolicy the witness trust policy file, if the log is witnessed
 * @param development whether the insecure sample keys are allowed
 * @param demo whether simulated recipients run in-process (implies development)
 */
public record GatewayConfig(
    String httpHost,
    int httpPort,
    Optional<String> publicBaseUrl,
    long maxBodyBytes,
    Path dataDirectory,
    StorageSettings storage,
    Optional<Path> directoryFile,
    DeliveryPolicy delivery,
    Duration lease,
    boolean tls,
    Optional<Path> keysDirectory,
    Duration tokenLifetime,
    long auditCheckpointEntries,
    Duration auditCheckpointInterval,
    String auditOrigin,
    Optional<Path> auditWitnessPolicy,
    boolean development,
    boolean demo) {

  public GatewayConfig {
    Objects.requireNonNull(httpHost, "httpHost");
    if (httpPort < 0 || httpPort > 65535) {
      throw new ConfigurationError("http.port must be within 0..65535, was " + httpPort);
    }
    Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    if (maxBodyBytes < 1024) {
      throw new ConfigurationError("http.max-body-bytes must be at least 1024, was " + maxBodyBytes);
    }
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(directoryFile, "directoryFile");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(keysDirectory, "keysDirectory");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (auditCheckpointEntries < 1) {
      throw new ConfigurationError("audit.checkpoint-every-entries must be at least 1");
    }
    Objects.requireNonNull(auditCheckpointInterval, "auditCheckpointInterval");
    Objects.requireNonNull(auditWitnessPolicy, "auditWitnessPolicy");
    if (auditOrigin == null || auditOrigin.isEmpty() || !auditOrigin.codePoints().allMatch(c -> c > 0x20 && c != '+' && !Character.isSpaceChar(c))) {
      throw new ConfigurationError("audit.origin must be non-empty, without spaces or '+' (a note key name), was " + auditOrigin);
    }
  }

  /** Demo mode is a development mode. */
  public boolean sampleKeysAllowed() {
    return development || demo;
  }

  public static GatewayConfig load(List<String> args, Map<String, String> environment) {
    return from(ResolvedOptions.resolve(args, environment));
  }

  public static GatewayConfig from(ResolvedOptions o) {
    Path dataDirectory = Path.of(o.text(Options.DATA_DIR));
    StorageSettings storage =
        o.optionalText(Options.DB_URL)
            .map(url -> new StorageSettings(url, o.text(Options.DB_USER), o.text(Options.DB_PASSWORD), o.integer(Options.DB_POOL_SIZE)))
            .orElseGet(() -> StorageSettings.h2File(dataDirectory));
    DeliveryPolicy delivery;
    try {
      delivery =
          new DeliveryPolicy(
              o.integer(Options.DELIVERY_MAX_ATTEMPTS),
              o.duration(Options.DELIVERY_MAX_AGE),
              o.duration(Options.DELIVERY_INITIAL_BACKOFF),
              o.duration(Options.DELIVERY_MAX_BACKOFF),
              o.decimal(Options.DELIVERY_JITTER),
              o.duration(Options.DELIVERY_CONNECT_TIMEOUT),
              o.duration(Options.DELIVERY_RESPONSE_TIMEOUT),
              o.duration(Options.DELIVERY_POLL_INTERVAL),
              o.integer(Options.DELIVERY_BATCH_SIZE));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError("delivery options: " + e.getMessage(), e);
    }
    return new GatewayConfig(
        o.text(Options.HTTP_HOST),
        o.integer(Options.HTTP_PORT),
        o.optionalText(Options.PUBLIC_BASE_URL),
        o.longInteger(Options.MAX_BODY_BYTES),
        dataDirectory,
        storage,
        o.optionalText(Options.DIRECTORY_FILE).map(Path::of),
        delivery,
        o.duration(Options.DELIVERY_LEASE),
        o.flag(Options.HTTP_TLS),
        o.optionalText(Options.KEYS_DIR).map(Path::of),
        o.duration(Options.TOKEN_LIFETIME),
        o.longInteger(Options.AUDIT_CHECKPOINT_ENTRIES),
        o.duration(Options.AUDIT_CHECKPOINT_INTERVAL),
        o.text(Options.AUDIT_ORIGIN),
        o.optionalText(Options.AUDIT_WITNESS_POLICY).map(Path::of),
        o.flag(Options.DEVELOPMENT),
        o.flag(Options.DEMO));
  }

}
