package dk.brobygger.gateway.config;

import java.util.List;

/** Every option the gateway reads, in the order {@code --help} lists them. */
public final class Options {

  public static final Option CONFIG_FILE =
      new Option("config", "", "configuration file (key=value lines); default ./brobygger.properties if it exists");
  public static final Option HTTP_HOST = new Option("http.host", "127.0.0.1", "interface the FHIR API listens on");
  public static final Option HTTP_PORT = new Option("http.port", "8443", "port the FHIR API listens on (0 = any free port)");
  public static final Option PUBLIC_BASE_URL =
      new Option("http.public-base-url", "", "base URL callers see, for Location headers (default http://host:port)");
  public static final Option MAX_BODY_BYTES =
      new Option("http.max-body-bytes", String.valueOf(5 * 1024 * 1024), "largest request body accepted, in bytes");
  public static final Option DATA_DIR =
      new Option("data.dir", "data", "data directory: the embedded PostgreSQL's cluster (data.dir/postgres), its password and log");
  public static final Option DB_URL =
      new Option("db.url", "", "JDBC URL of an external PostgreSQL 12+ (e.g. jdbc:postgresql://host/brobygger), shared by several gateways; default: an embedded PostgreSQL under data.dir");
  public static final Option DB_USER = new Option("db.user", "", "database user of db.url (default: the user in the URL)");
  public static final Option DB_PASSWORD = new Option("db.password", "", "database password of db.url (default: the password in the URL)");
  public static final Option DB_POOL_SIZE = new Option("db.pool-size", "8", "database connection pool size");
  public static final Option DIRECTORY_FILE =
      new Option("directory.file", "", "directory of recipients (JSON); required, except with --demo or --development, which default to the built-in INSECURE sample directory");
  public static final Option DELIVERY_MAX_ATTEMPTS =
      new Option("delivery.max-attempts", "100", "delivery attempts before a message is marked failed (delivery.max-age normally ends retrying first)");
  public static final Option DELIVERY_MAX_AGE =
      new Option("delivery.max-age", "PT72H", "how long after acceptance delivery is still attempted (ISO-8601 duration)");
  public static final Option DELIVERY_INITIAL_BACKOFF =
      new Option("delivery.initial-backoff", "PT10S", "wait before the second attempt; doubles with each attempt");
  public static final Option DELIVERY_MAX_BACKOFF =
      new Option("delivery.max-backoff", "PT1H", "longest wait between two attempts");
  public static final Option DELIVERY_JITTER =
      new Option("delivery.jitter", "0.2", "fraction of each wait that is randomised (0..1)");
  public static final Option DELIVERY_CONNECT_TIMEOUT =
      new Option("delivery.connect-timeout", "PT5S", "connect timeout towards recipients");
  public static final Option DELIVERY_RESPONSE_TIMEOUT =
      new Option("delivery.response-timeout", "PT30S", "how long to wait for a recipient's answer");
  public static final Option DELIVERY_POLL_INTERVAL =
      new Option("delivery.poll-interval", "PT0.5S", "how often the outbox is polled for due messages");
  public static final Option DELIVERY_BATCH_SIZE =
      new Option("delivery.batch-size", "16", "how many due messages one poll claims at most");
  public static final Option DELIVERY_LEASE =
      new Option("delivery.lease", "PT2M", "how long a claimed message is reserved for this instance");
  public static final Option HTTP_TLS =
      new Option("http.tls", "true", "serve HTTPS (with optional client certificates); false serves plain HTTP, for a TLS-terminating proxy only");
  public static final Option KEYS_DIR =
      new Option("keys.dir", "", "the gateway's key set (as written by `keys generate`); default: the INSECURE sample keys, demo/development only");
  public static final Option KEYS_ALGORITHM =
      new Option("keys.algorithm", "p256", "how sealed messages are signed and encrypted: p256 (ES256 + ECDH-ES on P-256) or ed25519 (EdDSA + ECDH-ES on X25519, about half the CPU); a recipient with only the other kind of key still gets that kind");
  public static final Option TOKEN_LIFETIME =
      new Option("auth.token-lifetime", "PT5M", "lifetime of the access tokens the gateway issues");
  public static final Option AUDIT_CHECKPOINT_ENTRIES =
      new Option("audit.checkpoint-every-entries", "256", "sign a checkpoint of the audit log after this many new entries");
  public static final Option AUDIT_CHECKPOINT_INTERVAL =
      new Option("audit.checkpoint-interval", "PT10S", "sign a checkpoint at least this often while entries wait");
  public static final Option HTTP_REQUEST_TIMEOUT =
      new Option("http.request-timeout", "PT30S", "a connection must send each whole request (headers and body) within this time of being free to send it; slower or idle connections are closed");
  public static final Option HTTP_MAX_CONNECTIONS_PER_ADDRESS =
      new Option("http.max-connections-per-address", "64", "open connections one client address may hold; more are closed at once");
  public static final Option HTTP_REFUSALS_PER_MINUTE =
      new Option("http.refusals-per-minute", "30", "unauthenticated or unauthorised requests answered per client address and minute (a token bucket); beyond it 429 with Retry-After");
  public static final Option AUDIT_REFUSAL_WINDOW =
      new Option("audit.refusal-window", "PT1M", "the same refusal repeated from one address within this window is one audit entry, then one entry with the count");
  public static final Option AUDIT_ORIGIN =
      new Option("audit.origin", "brobygger.example/audit-log", "the audit log's name: the first line of its C2SP checkpoints and its note key's name");
  public static final Option AUDIT_WITNESS_POLICY =
      new Option("audit.witness-policy", "", "a witness trust policy file: the gateway submits each checkpoint to its witnesses and serves their cosignatures");
  public static final Option METRICS_HOST =
      new Option("metrics.host", "127.0.0.1", "interface the operations listener (/metrics, /health/live, /health/ready) listens on");
  public static final Option METRICS_PORT =
      new Option("metrics.port", "", "port of the operations listener for Prometheus (plain HTTP, no token); empty = none, 0 = any free port");
  public static final Option SHUTDOWN_TIMEOUT =
      new Option("shutdown.timeout", "PT30S", "on SIGTERM, the bound on the whole stop: in-flight requests get half of it, in-flight deliveries a quarter, then the final checkpoint; once it has passed the process exits anyway (status 1)");
  public static final Option CONSOLE_IDLE_TIMEOUT =
      new Option("console.idle-timeout", "PT15M", "a console session unused this long is signed out");
  public static final Option CONSOLE_OIDC_ISSUER =
      new Option("console.oidc.issuer", "", "the OpenID Connect issuer people sign in to the console with (discovery at issuer/.well-known/openid-configuration); empty = no OIDC sign-in");
  public static final Option CONSOLE_OIDC_CLIENT_ID =
      new Option("console.oidc.client-id", "", "the console's client id at the OIDC issuer");
  public static final Option CONSOLE_OIDC_CLIENT_SECRET =
      new Option("console.oidc.client-secret", "", "the console's client secret at the OIDC issuer (empty = a public client, PKCE only)");
  public static final Option CONSOLE_OIDC_ROLE_CLAIM =
      new Option("console.oidc.role-claim", "role", "the ID token claim that holds the person's console role: nurse or privacy-officer");
  public static final Option CONSOLE_OIDC_PARTY_CLAIM =
      new Option("console.oidc.party-claim", "party", "the ID token claim that holds the directory id of the person's team (party)");
  public static final Option DEVELOPMENT =
      new Option("development", "false", "development mode: allows the insecure sample keys and sample directory; simulates nothing");
  public static final Option DEMO =
      new Option("demo", "false", "demo mode: the insecure sample keys and sample directory, and simulated recipient systems in-process at the directory's localhost endpoints");

  public static final List<Option> ALL =
      List.of(
          CONFIG_FILE,
          HTTP_HOST,
          HTTP_PORT,
          PUBLIC_BASE_URL,
          MAX_BODY_BYTES,
          DATA_DIR,
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          DB_POOL_SIZE,
          DIRECTORY_FILE,
          DELIVERY_MAX_ATTEMPTS,
          DELIVERY_MAX_AGE,
          DELIVERY_INITIAL_BACKOFF,
          DELIVERY_MAX_BACKOFF,
          DELIVERY_JITTER,
          DELIVERY_CONNECT_TIMEOUT,
          DELIVERY_RESPONSE_TIMEOUT,
          DELIVERY_POLL_INTERVAL,
          DELIVERY_BATCH_SIZE,
          DELIVERY_LEASE,
          HTTP_TLS,
          KEYS_DIR,
          KEYS_ALGORITHM,
          TOKEN_LIFETIME,
          AUDIT_CHECKPOINT_ENTRIES,
          AUDIT_CHECKPOINT_INTERVAL,
          HTTP_REQUEST_TIMEOUT,
          HTTP_MAX_CONNECTIONS_PER_ADDRESS,
          HTTP_REFUSALS_PER_MINUTE,
          AUDIT_REFUSAL_WINDOW,
          AUDIT_ORIGIN,
          AUDIT_WITNESS_POLICY,
          METRICS_HOST,
          METRICS_PORT,
          SHUTDOWN_TIMEOUT,
          CONSOLE_IDLE_TIMEOUT,
          CONSOLE_OIDC_ISSUER,
          CONSOLE_OIDC_CLIENT_ID,
          CONSOLE_OIDC_CLIENT_SECRET,
          CONSOLE_OIDC_ROLE_CLAIM,
          CONSOLE_OIDC_PARTY_CLAIM,
          DEVELOPMENT,
          DEMO);

  private Options() {}
}
