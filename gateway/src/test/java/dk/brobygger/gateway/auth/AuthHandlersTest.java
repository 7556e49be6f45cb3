package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.delivery.seal.SigningKey;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handlers on a real Vert.x server on a free port, spoken to over HTTP. */
class AuthHandlersTest {

  private static final String ISSUER = "https://gateway.example";
  private static final String FHIR = "https://gateway.example/fhir";

  private static final java.util.List<AuthenticationRefused> AUDITED = new java.util.concurrent.CopyOnWriteArrayList<>();
  // the threads that touched the replay store and the refusal audit: both are database writes in the gateway
  private static final java.util.List<String> DATABASE_THREADS = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static Vertx vertx;
  private static WebClient http;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Clock clock = Clock.systemUTC();
    TokenEndpoint endpoint = new TokenEndpoint(
        new ClientAssertionVerifier(InsecureSampleClients.registry(), recordingThreads(new RememberingReplayStore()),
            ClientAssertions.TOKEN_URL, clock),
        new AccessTokens(SigningKey.of(SealingSuite.P256.signingKey(InsecureSampleKeys.gatewaySigningKeys())), ISSUER, FHIR,
            AccessTokens.DEFAULT_LIFETIME, clock));
    AccessTokenVerifier verifier = new AccessTokenVerifier(InsecureSampleKeys.gatewaySigningPublicKeys(), ISSUER, FHIR, clock);

    vertx = Vertx.vertx();
    // named as the gateway names its database executor
    WorkerExecutor databaseWork = vertx.createSharedWorkerExecutor("brobygger-db", 2);
    Router router = Router.router(vertx);
    router.post("/auth/token").handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(AuthHandlers.token(endpoint, databaseWork, refused -> {
          DATABASE_THREADS.add(Thread.currentThread().getName());
          AUDITED.add(refused);
        }));
    router.get("/.well-known/smart-configuration")
        .handler(AuthHandlers.document(SmartConfiguration.json(ISSUER, ClientAssertions.TOKEN_URL)));
    router.get("/fhir/Task/:id")
        .handler(AuthHandlers.bearer(verifier, (ctx, rejected) -> ctx.response().setStatusCode(401).end(rejected.diagnostics())))
        .handler(ctx -> ctx.response().end(AuthHandlers.client(ctx).orElseThrow().partyId()));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    port = server.actualPort();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static ReplayStore recordingThreads(ReplayStore store) {
    return (clientId, jti, usableUntil) -> {
      DATABASE_THREADS.add(Thread.currentThread().getName());
      return store.recordFirstUse(clientId, jti, usableUntil);
    };
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> requestToken(String assertion, String scope) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "client_credentials")
        .add("client_assertion_type", TokenEndpoint.CLIENT_ASSERTION_TYPE)
        .add("client_assertion", assertion)
        .add("scope", scope);
    return await(http.post(port, "localhost", "/auth/token").sendForm(form));
  }

  @Test
  void aHospitalGetsATokenOverHttpAndReadsATaskWithIt() throws Exception {
    HttpResponse<Buffer> token = requestToken(ClientAssertions.of(SampleParty.HOSPITAL, Instant.now()), "system/Task.rs");

    assertThat(token.statusCode()).isEqualTo(200);
    assertThat(token.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = token.bodyAsJsonObject();
    assertThat(body.getString("token_type")).isEqualTo("bearer");
    assertThat(body.getLong("expires_in")).isEqualTo(Duration.ofMinutes(5).toSeconds());
    assertThat(body.getString("scope")).isEqualTo("system/Task.rs");

    HttpResponse<Buffer> task = await(http.get(port, "localhost", "/fhir/Task/1")
        .putHeader("Authorization", "Bearer " + body.getString("access_token")).send());
    assertThat(task.statusCode()).isEqualTo(200);
    assertThat(task.bodyAsString()).isEqualTo("svendborg-sygehus");
  }

  @Test
  void aRefusedTokenRequestAnswersWithOAuthErrorJson() throws Exception {
    HttpResponse<Buffer> refused = requestToken("not-a-jwt", "system/Task.rs");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(AUDITED).as("the refusal was handed to the audit").isNotEmpty();
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("invalid_client");
    assertThat(refused.bodyAsJsonObject().getString("error_description")).isEqualTo("the client assertion is not a JWT");
  }

  @Test
  void tokenRequestsAreIssuedAndRefusedOnTheDatabaseExecutorNotVertxDefaultWorkers() throws Exception {
    DATABASE_THREADS.clear();
    assertThat(requestToken(ClientAssertions.of(SampleParty.HOSPITAL, Instant.now()), "system/Task.rs").statusCode())
        .isEqualTo(200);
    assertThat(requestToken("not-a-jwt", "system/Task.rs").statusCode()).isEqualTo(401);

    assertThat(DATABASE_THREADS).as("the replay-store write of the issued token, the audit of the refusal")
        .hasSize(2)
        .allSatisfy(thread -> assertThat(thread).startsWith("brobygger-db-"));
  }

  @Test
  void aTokenRequestThatIsNotAFormIsAnInvalidRequest() throws Exception {
    HttpResponse<Buffer> refused = await(http.post(port, "localhost", "/auth/token")
        .sendJsonObject(new JsonObject().put("grant_type", "client_credentials")));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("invalid_request");
  }

  @Test
  void theFhirApiRefusesARequestWithoutOrWithABadToken() throws Exception {
    HttpResponse<Buffer> none = await(http.get(port, "localhost", "/fhir/Task/1").send());
    HttpResponse<Buffer> bad = await(http.get(port, "localhost", "/fhir/Task/1")
        .putHeader("Authorization", "Bearer not-a-token").send());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.bodyAsString()).contains("an access token is required");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.bodyAsString()).contains("not a signed JWT");
  }

  @Test
  void theSmartConfigurationIsServedAsJson() throws Exception {
    HttpResponse<Buffer> config = await(http.get(port, "localhost", "/.well-known/smart-configuration").send());

    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.getHeader("Content-Type")).startsWith("application/json");
    assertThat(config.bodyAsJsonObject().getString("token_endpoint")).isEqualTo(ClientAssertions.TOKEN_URL);
  }
}
