package dk.brobygger.gateway.config;

import dk.brobygger.delivery.DeliveryPolicy;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.gateway.db.StorageSettings;
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
 * @param dataDirectory where the embedded PostgreSQL keeps its cluster (with no external database)
 * @param storage the external PostgreSQL ({@code db.url}); empty = the embedded one under dataDirectory
 * @param dbPoolSize database connections in the pool
 * @param directoryFile the recipient directory (empty = the built-in insecure sample directory,
 *     demo/development only)
 * @param delivery how delivery retries
 * @param lease how long a claimed outbox row stays reserved for this instance
 * @param tls whether to serve HTTPS
 * @param keysDirectory the gateway's key set (empty = the insecure sample keys)
 * @param sealingSuite how sealed messages are signed and encrypted ({@code keys.algorithm})
 * @param tokenLifetime lifetime of issued access tokens
 * @param auditCheckpointEntries sign an audit checkpoint after this many new entries
 * @param auditCheckpointInterval and at least this often while entries wait
 * @param clientLimits what one client address may cost before it has proved who it is
 * @param auditOrigin the audit log's origin (checkpoint first line, note key name)
 * @param auditWitnessPolicy the witness trust policy file, if the log is witnessed
 * @param development whether the insecure sample keys and sample directory are allowed
 * @param demo whether simulated recipients run in-process (implies development)
 * @param operations where the operations listener (metrics, health) listens, if anywhere, and how long a stop drains
 * @param console the people's console: session idle timeout and OpenID Connect sign-in
 */
public record GatewayConfig(
    String httpHost,
    int httpPort,
    Optional<String> publicBaseUrl,
    long maxBodyBytes,
    Path dataDirectory,
    Optional<StorageSettings> storage,
    int dbPoolSize,
    Optional<Path> directoryFile,
    DeliveryPolicy delivery,
    Duration lease,
    boolean tls,
    Optional<Path> keysDirectory,
    SealingSuite sealingSuite,
    Duration tokenLifetime,
    long auditCheckpointEntries,
    Duration auditCheckpointInterval,
    ClientLimits clientLimits,
    String auditOrigin,
    Optional<Path> auditWitnessPolicy,
    boolean development,
    boolean demo,
    OperationsSettings operations,
    ConsoleSettings console) {

  /**
   * The operations listener for Prometheus and probes (none when port is empty), and how long a stop
   * waits for in-flight requests.
   */
  public record OperationsSettings(String host, java.util.OptionalInt port, Duration shutdownTimeout) {
    public OperationsSettings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(port, "port");
      Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }
  }

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
    Objects.requireNonNull(sealingSuite, "sealingSuite");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    if (auditCheckpointEntries < 1) {
      throw new ConfigurationError("audit.checkpoint-every-entries must be at least 1");
    }
    Objects.requireNonNull(auditCheckpointInterval, "auditCheckpointInterval");
    Objects.requireNonNull(clientLimits, "clientLimits");
    Objects.requireNonNull(console, "console");
    if (directoryFile.isEmpty() && !development && !demo) {
      throw new ConfigurationError(DIRECTORY_REQUIRED);
    }
    Objects.requireNonNull(auditWitnessPolicy, "auditWitnessPolicy");
    if (auditOrigin == null || auditOrigin.isEmpty() || !auditOrigin.codePoints().allMatch(c -> c > 0x20 && c != '+' && !Character.isSpaceChar(c))) {
      throw new ConfigurationError("audit.origin must be non-empty, without spaces or '+' (a note key name), was " + auditOrigin);
    }
  }

  private static final String DIRECTORY_REQUIRED = "option directory.file (" + Options.DIRECTORY_FILE.environmentName()
      + ") is required: the built-in sample directory trusts INSECURE published keys and is used only with --demo or --development";

  /** Demo mode is a development mode. */
  public boolean sampleKeysAllowed() {
    return development || demo;
  }

  public static GatewayConfig load(List<String> args, Map<String, String> environment) {
    return from(ResolvedOptions.resolve(args, environment));
  }

  /** Checks the configuration as a whole: every problem is reported, one line each, before anything starts. */
  public static GatewayConfig from(ResolvedOptions o) {
    ConfigurationCheck c = new ConfigurationCheck(o);
    boolean development = c.flag(Options.DEVELOPMENT);
    boolean demo = c.flag(Options.DEMO);
    String httpHost = c.required(Options.HTTP_HOST);
    int httpPort = c.integer(Options.HTTP_PORT, 0, 65535);
    Optional<String> publicBaseUrl = c.absoluteHttpUrl(Options.PUBLIC_BASE_URL);
    long maxBodyBytes = c.longInteger(Options.MAX_BODY_BYTES, 1024);
    Path dataDirectory = c.dataDirectory(Options.DATA_DIR);
    int poolSize = c.integer(Options.DB_POOL_SIZE, 1, 1000);
    Optional<Path> directoryFile = c.readableFile(Options.DIRECTORY_FILE);
    c.require(o.optionalText(Options.DIRECTORY_FILE).isPresent() || development || demo, DIRECTORY_REQUIRED);
    int maxAttempts = c.integer(Options.DELIVERY_MAX_ATTEMPTS, 1, Integer.MAX_VALUE);
    Duration maxAge = c.positive(Options.DELIVERY_MAX_AGE);
    Duration initialBackoff = c.positive(Options.DELIVERY_INITIAL_BACKOFF);
    Duration maxBackoff = c.positive(Options.DELIVERY_MAX_BACKOFF);
    double jitter = c.fraction(Options.DELIVERY_JITTER);
    Duration connectTimeout = c.positive(Options.DELIVERY_CONNECT_TIMEOUT);
    Duration responseTimeout = c.positive(Options.DELIVERY_RESPONSE_TIMEOUT);
    Duration pollInterval = c.positive(Options.DELIVERY_POLL_INTERVAL);
    int batchSize = c.integer(Options.DELIVERY_BATCH_SIZE, 1, 10_000);
    Duration lease = c.positive(Options.DELIVERY_LEASE);
    c.require(maxBackoff.compareTo(initialBackoff) >= 0, "option " + Options.DELIVERY_MAX_BACKOFF.key() + " ("
        + maxBackoff + ") must not be shorter than " + Options.DELIVERY_INITIAL_BACKOFF.key() + " (" + initialBackoff + ")");
    // a lease that ends while an attempt may still wait for its answer lets a second claim send the row again
    c.require(lease.compareTo(connectTimeout.plus(responseTimeout)) > 0, "option " + Options.DELIVERY_LEASE.key() + " ("
        + lease + ") must be longer than " + Options.DELIVERY_CONNECT_TIMEOUT.key() + " + "
        + Options.DELIVERY_RESPONSE_TIMEOUT.key() + " (" + connectTimeout.plus(responseTimeout) + ")");
    boolean tls = c.flag(Options.HTTP_TLS);
    Optional<Path> keysDirectory = c.readableDirectory(Options.KEYS_DIR);
    SealingSuite sealingSuite = c.sealingSuite(Options.KEYS_ALGORITHM);
    Duration tokenLifetime = c.positive(Options.TOKEN_LIFETIME);
    long checkpointEntries = c.longInteger(Options.AUDIT_CHECKPOINT_ENTRIES, 1);
    Duration checkpointInterval = c.positive(Options.AUDIT_CHECKPOINT_INTERVAL);
    Duration requestTimeout = c.positive(Options.HTTP_REQUEST_TIMEOUT);
    int connectionsPerAddress = c.integer(Options.HTTP_MAX_CONNECTIONS_PER_ADDRESS, 1, 1_000_000);
    int refusalsPerMinute = c.integer(Options.HTTP_REFUSALS_PER_MINUTE, 1, 1_000_000);
    Duration refusalWindow = c.positive(Options.AUDIT_REFUSAL_WINDOW);
    Optional<Path> auditWitnessPolicy = c.readableFile(Options.AUDIT_WITNESS_POLICY);
    String metricsHost = c.required(Options.METRICS_HOST);
    java.util.OptionalInt metricsPort = c.optionalText(Options.METRICS_PORT).isPresent()
        ? java.util.OptionalInt.of(c.integer(Options.METRICS_PORT, 0, 65535)) : java.util.OptionalInt.empty();
    Duration shutdownTimeout = c.positive(Options.SHUTDOWN_TIMEOUT);
    Duration consoleIdle = c.positive(Options.CONSOLE_IDLE_TIMEOUT);
    Optional<String> oidcIssuer = c.absoluteHttpUrl(Options.CONSOLE_OIDC_ISSUER);
    Optional<String> oidcClientId = c.optionalText(Options.CONSOLE_OIDC_CLIENT_ID);
    c.require(oidcIssuer.isEmpty() || oidcClientId.isPresent(), "option " + Options.CONSOLE_OIDC_CLIENT_ID.key() + " ("
        + Options.CONSOLE_OIDC_CLIENT_ID.environmentName() + ") is required with " + Options.CONSOLE_OIDC_ISSUER.key());
    String roleClaim = c.required(Options.CONSOLE_OIDC_ROLE_CLAIM);
    String partyClaim = c.required(Options.CONSOLE_OIDC_PARTY_CLAIM);
    c.orFail();

    Optional<StorageSettings> storage =
        o.optionalText(Options.DB_URL)
            .map(url -> new StorageSettings(url, o.text(Options.DB_USER), o.text(Options.DB_PASSWORD), poolSize));
    DeliveryPolicy delivery;
    try {
      delivery = new DeliveryPolicy(maxAttempts, maxAge, initialBackoff, maxBackoff, jitter, connectTimeout,
          responseTimeout, pollInterval, batchSize);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationError("delivery options: " + e.getMessage(), e);
    }
    return new GatewayConfig(httpHost, httpPort, publicBaseUrl, maxBodyBytes, dataDirectory, storage, poolSize, directoryFile,
        delivery, lease, tls, keysDirectory, sealingSuite, tokenLifetime, checkpointEntries, checkpointInterval,
        new ClientLimits(requestTimeout, connectionsPerAddress, refusalsPerMinute, refusalWindow), o.text(Options.AUDIT_ORIGIN),
        auditWitnessPolicy, development, demo, new OperationsSettings(metricsHost, metricsPort, shutdownTimeout),
        new ConsoleSettings(consoleIdle, oidcIssuer.map(issuer -> new ConsoleSettings.Oidc(issuer, oidcClientId.orElseThrow(),
            o.optionalText(Options.CONSOLE_OIDC_CLIENT_SECRET), roleClaim, partyClaim))));
  }

}
