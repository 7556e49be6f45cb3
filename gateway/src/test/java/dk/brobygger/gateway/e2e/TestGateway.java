package dk.brobygger.gateway.e2e;

import dk.brobygger.gateway.Gateway;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.storage.PostgresStorage;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.net.URLEncoder;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Optional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real gateway, started the way {@code main} starts it (options parsed by the same code) on
 * port 0, with a directory that sends each sample recipient's messages to the given URLs. Its
 * database is a schema of the test PostgreSQL ({@code --db.url}), one per data directory, so that a
 * restart on the same directory finds its data; the embedded default has tests of its own.
 */
final class TestGateway implements AutoCloseable {

  /** Fast retries so that tests finish in seconds. */
  static final List<String> FAST_DELIVERY = List.of(
      "--delivery.initial-backoff", "PT0.2S",
      "--delivery.max-backoff", "PT0.4S",
      "--delivery.jitter", "0",
      "--delivery.poll-interval", "PT0.05S",
      "--delivery.connect-timeout", "PT1S",
      "--delivery.response-timeout", "PT2S",
      "--delivery.lease", "PT5S");

  /** Schemas of the test PostgreSQL by data directory; the test server goes with the JVM. */
  private static final Map<Path, PostgresStorage.FreshSchema> DATABASES = new ConcurrentHashMap<>();

  /**
   * A second outreach team (another municipality) in the test directory, so that tests can show
   * what one team may not see of another's. Its system signs with the sample outreach team's
   * client key: the directory allows a key to be registered for two clients, and a client is
   * identified by its id, so no new sample key is needed.
   */
  static final String SECOND_TEAM = "koebenhavn-sundhedsteamet";
  static final String SECOND_TEAM_SOR = "281011000016004";

  private final Gateway gateway;
  private final HttpClient https = HttpClient.newBuilder().sslContext(SampleClients.tls(null)).build();
  private final Map<SampleParty, String> tokens = new EnumMap<>(SampleParty.class);
  /** Whose token requests carry; empty = no Authorization header. */
  private final Optional<SampleParty> actingAs;
  /** Whether requests carry the second outreach team's token instead. */
  private final boolean secondTeam;
  private String secondTeamToken;
  /** The gateway's clock: client assertions are dated by it. */
  private final Clock clock;

  private TestGateway(Gateway gateway, Optional<SampleParty> actingAs, Clock clock) {
    this(gateway, actingAs, false, clock);
  }

  private TestGateway(Gateway gateway, Optional<SampleParty> actingAs, boolean secondTeam, Clock clock) {
    this.gateway = gateway;
    this.actingAs = actingAs;
    this.secondTeam = secondTeam;
    this.clock = clock;
  }

  /** The running gateway itself, for its operations listener and probes. */
  Gateway gateway() {
    return gateway;
  }

  /** The same gateway, called by the second outreach team's system ({@link #SECOND_TEAM}). */
  TestGateway asSecondTeam() {
    return new TestGateway(gateway, Optional.empty(), true, clock);
  }

  /** The same gateway, called by another party's system (with its own access token). */
  TestGateway as(SampleParty party) {
    TestGateway view = new TestGateway(gateway, Optional.of(party), clock);
    view.tokens.putAll(tokens);
    return view;
  }

  /** The same gateway, called without credentials. */
  TestGateway anonymous() {
    return new TestGateway(gateway, Optional.empty(), clock);
  }

  /** Forgets the access tokens, e.g. after the clock jumped past their expiry. */
  void forgetTokens() {
    tokens.clear();
  }

  String tokenUrl() {
    return gateway.baseUrl() + "/auth/token";
  }

  /** POST /auth/token with a form; the raw answer. */
  HttpResponse<String> requestToken(String form) {
    return send(https, HttpRequest.newBuilder(URI.create(tokenUrl()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  static String tokenForm(String assertion, String scope) {
    return "grant_type=client_credentials"
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8)
        + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
  }

  /** An access token for the party, as its system would get one (SMART Backend Services). */
  String token(SampleParty party) {
    return tokens.computeIfAbsent(party, p -> {
      HttpResponse<String> answer = requestToken(tokenForm(SampleClients.assertion(p, tokenUrl(), Duration.ofMinutes(4), clock.instant()),
          "system/*.cruds"));
      if (answer.statusCode() != 200) {
        throw new AssertionError("no token for " + p + ": " + answer.statusCode() + " " + answer.body());
      }
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("access_token").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private HttpRequest.Builder authorised(HttpRequest.Builder request) {
    actingAs.ifPresent(party -> request.header("Authorization", "Bearer " + token(party)));
    if (secondTeam) {
      request.header("Authorization", "Bearer " + secondTeamToken());
    }
    return request;
  }

  private String secondTeamToken() {
    if (secondTeamToken == null) {
      com.nimbusds.jose.jwk.JWK key = InsecureSampleKeys.clientAuthKeys(SampleParty.OUTREACH).getKeys().stream()
          .filter(k -> k instanceof com.nimbusds.jose.jwk.ECKey && k.isPrivate()).findFirst().orElseThrow();
      HttpResponse<String> answer = requestToken(tokenForm(SampleClients.assertion(SECOND_TEAM, key, tokenUrl(),
          Duration.ofMinutes(4), com.nimbusds.jose.JWSAlgorithm.ES256), "system/*.cruds"));
      if (answer.statusCode() != 200) {
        throw new AssertionError("no token for " + SECOND_TEAM + ": " + answer.statusCode() + " " + answer.body());
      }
      try {
        secondTeamToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("access_token").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return secondTeamToken;
  }

  /** @param endpoints recipient id -> endpoint URL, for the four sample parties */
  static TestGateway start(Path dataDirectory, Map<String, String> endpoints, String... extraArgs) {
    return start(dataDirectory, endpoints, Clock.systemUTC(), extraArgs);
  }

  /** As {@link #start(Path, Map, String...)}, on a clock the test controls. */
  static TestGateway start(Path dataDirectory, Map<String, String> endpoints, Clock clock, String... extraArgs) {
    Path directory = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-directory.json");
    writeDirectory(directory, endpoints);
    StorageSettings database = DATABASES.computeIfAbsent(dataDirectory.toAbsolutePath(), d -> PostgresStorage.freshSchema())
        .settings();
    List<String> args = new ArrayList<>(List.of(
        "--development",
        "--http.port", "0",
        "--data.dir", dataDirectory.toString(),
        "--db.url", database.jdbcUrl(),
        "--directory.file", directory.toString()));
    args.addAll(FAST_DELIVERY);
    args.addAll(List.of(extraArgs));
    Gateway gateway = Gateway.start(GatewayConfig.load(args, Map.of()), clock);
    // it listens before its validator is warm; the tests' messages should not meet a 503 for that
    if (!gateway.awaitReady(Duration.ofMinutes(3))) {
      gateway.close();
      throw new IllegalStateException("the gateway's message validator did not become ready");
    }
    return new TestGateway(gateway, Optional.of(SampleParty.OUTREACH), clock);
  }

  /** A directory of the five sample parties with their (insecure) sample public keys. */
  static void writeDirectory(Path file, Map<String, String> endpoints) {
    String json = """
        {"recipients": [
          {"id": "svendborg-gadesygepleje", "name": "Gadesygeplejen Svendborg", "kind": "outreach",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "325421000016001"}]%s},
          {"id": "%s", "name": "Sundhedsteamet København", "kind": "outreach",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "%s"}],
           "clientKeys": %s},
          {"id": "laegehuset-sydfyn", "name": "Lægehuset Sydfyn", "kind": "gp",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "123451000016008"}]%s},
          {"id": "svendborg-sygehus", "name": "Svendborg Sygehus", "kind": "hospital",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "663101000016005"}]%s},
          {"id": "behandlingscenter-svendborg", "name": "Behandlingscenter Svendborg", "kind": "addiction-centre",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "447101000016003"}]%s},
          {"id": "privacy-officer", "name": "Databeskyttelsesrådgiver", "kind": "privacy-officer",
           "identifiers": [{"system": "https://brobygger.dk/sid/directory", "value": "privacy-officer"}]%s}
        ]}
        """.formatted(
            party(endpoints, SampleParty.OUTREACH),
            SECOND_TEAM, SECOND_TEAM_SOR, InsecureSampleKeys.clientAuthPublicKeys(SampleParty.OUTREACH).toString(true),
            party(endpoints, SampleParty.GP),
            party(endpoints, SampleParty.HOSPITAL),
            party(endpoints, SampleParty.ADDICTION_CENTRE),
            party(endpoints, SampleParty.PRIVACY_OFFICER));
    try {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The party's endpoint (when given) and the public halves of its sample keys. */
  private static String party(Map<String, String> endpoints, SampleParty party) {
    String url = endpoints.get(party.id());
    StringBuilder json = new StringBuilder();
    if (url != null) {
      json.append(", \"endpoint\": \"").append(url).append('"');
    }
    json.append(", \"clientKeys\": ").append(InsecureSampleKeys.clientAuthPublicKeys(party).toString(true));
    if (party.isRecipient()) {
      json.append(", \"encryptionKeys\": ").append(InsecureSampleKeys.encryptionPublicKeys(party).toString(true));
    }
    return json.toString();
  }

  String fhir() {
    return gateway.baseUrl() + "/fhir";
  }

  HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request = authorised(HttpRequest.newBuilder(URI.create(fhir() + path)))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> put(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder request = authorised(HttpRequest.newBuilder(URI.create(fhir() + path)))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = authorised(HttpRequest.newBuilder(URI.create(fhir() + path))).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> delete(String path) {
    return send(authorised(HttpRequest.newBuilder(URI.create(fhir() + path))).DELETE());
  }

  /** A GET over mutual TLS with the party's client certificate (or another chain), no token. */
  HttpResponse<String> getWithCertificate(javax.net.ssl.SSLContext clientTls, String path) {
    HttpClient client = HttpClient.newBuilder().sslContext(clientTls).build();
    return send(client, HttpRequest.newBuilder(URI.create(fhir() + path)).GET());
  }

  /** A GET outside /fhir (e.g. /.well-known, /audit), with this view's credentials if it has any. */
  HttpResponse<String> getAt(String absolutePath) {
    return send(https, authorised(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + absolutePath))).GET());
  }

  /** {@link #getAt} for binary answers (e.g. /audit/tile/...): the body as bytes. */
  HttpResponse<byte[]> getBytesAt(String absolutePath) {
    try {
      return https.send(authorised(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + absolutePath))).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Any request, as built by the caller (headers and all), over the gateway's TLS. */
  HttpResponse<String> send(HttpRequest.Builder request) {
    return send(https, request);
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The canonical text of every audit entry of one action, in log order, straight from the database. */
  List<String> auditEntries(String action) {
    return auditEntriesAfter(action, 0).stream().map(AuditRow::json).toList();
  }

  /** One audit entry as stored: its sequence number and canonical text. */
  record AuditRow(long seq, String json) {}

  /**
   * The entries of one action after sequence number {@code afterSeq}, in log order (committed
   * sequence numbers form a gapless prefix, so a reader can go on from the last one it saw).
   */
  List<AuditRow> auditEntriesAfter(String action, long afterSeq) {
    try (Connection c = gateway.database().dataSource().getConnection();
        var s = c.prepareStatement("SELECT seq, canonical_json FROM audit_log WHERE action = ? AND seq > ? ORDER BY seq")) {
      s.setString(1, action);
      s.setLong(2, afterSeq);
      List<AuditRow> entries = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          entries.add(new AuditRow(r.getLong(1), r.getString(2)));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rows in a table, read straight from the gateway's database. */
  long rows(String table) {
    try (Connection c = gateway.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
