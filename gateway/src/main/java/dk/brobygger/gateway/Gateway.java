package dk.brobygger.gateway;

import dk.brobygger.delivery.DeliveryService;
import dk.brobygger.delivery.JoseSealing;
import dk.brobygger.delivery.seal.MessageSigner;
import dk.brobygger.gateway.auditlog.AuditEventResource;
import dk.brobygger.gateway.auditlog.AuditProofs;
import dk.brobygger.gateway.auditlog.AuditHttp;
import dk.brobygger.gateway.auditlog.Checkpointer;
import dk.brobygger.gateway.auditlog.DisclosureReport;
import dk.brobygger.auditproof.witness.WitnessPolicy;
import dk.brobygger.gateway.auditlog.WitnessSubmitter;
import dk.brobygger.gateway.auth.AccessTokenVerifier;
import dk.brobygger.gateway.auth.AccessTokens;
import dk.brobygger.gateway.auth.ClientAssertionVerifier;
import dk.brobygger.gateway.auth.ClientRegistry;
import dk.brobygger.gateway.auth.ClientCertificates;
import dk.brobygger.gateway.auth.JdbcReplayStore;
import dk.brobygger.gateway.auth.Jwks;
import dk.brobygger.gateway.auth.SmartConfiguration;
import dk.brobygger.gateway.auth.TokenEndpoint;
import dk.brobygger.gateway.console.Console;
import dk.brobygger.gateway.console.ConsoleAssets;
import dk.brobygger.gateway.console.ConsoleAudit;
import dk.brobygger.gateway.console.ConsoleRoutes;
import dk.brobygger.gateway.console.ConsoleSessions;
import dk.brobygger.gateway.console.ConsoleTemplates;
import dk.brobygger.gateway.console.InsecureSampleIdentityProvider;
import dk.brobygger.gateway.console.NursePages;
import dk.brobygger.gateway.console.officer.CitizenTimeline;
import dk.brobygger.gateway.console.officer.LogOverview;
import dk.brobygger.gateway.console.officer.LogVerification;
import dk.brobygger.gateway.console.officer.OfficerPages;
import dk.brobygger.gateway.http.Authenticate;
import dk.brobygger.gateway.http.ServerTls;
import dk.brobygger.gateway.keys.GatewayKeys;
import dk.brobygger.gateway.operations.Operations;
import dk.brobygger.gateway.operations.OperationsMetrics;
import io.vertx.ext.web.Router;
import java.time.Duration;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.MessageProfiles;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.gateway.config.GatewayConfig;
import dk.brobygger.gateway.config.Options;
import dk.brobygger.gateway.delivery.BundleMinimisation;
import dk.brobygger.gateway.delivery.StoredConsentRecheck;
import dk.brobygger.gateway.demo.SimulatedRecipients;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.http.Blocking;
import dk.brobygger.gateway.http.ConnectionGuard;
import dk.brobygger.gateway.http.RefusalBudget;
import dk.brobygger.gateway.http.RepeatedRefusals;
import dk.brobygger.gateway.http.CapabilityResource;
import dk.brobygger.gateway.http.ConformanceResource;
import dk.brobygger.gateway.http.ConsentResource;
import dk.brobygger.gateway.http.FhirResponses;
import dk.brobygger.gateway.http.GatewayRoutes;
import dk.brobygger.gateway.http.MessageResource;
import dk.brobygger.gateway.http.TaskResource;
import dk.brobygger.gateway.citizen.PatientIds;
import dk.brobygger.gateway.search.TaskSearch;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.http.CitizenResource;
import dk.brobygger.gateway.ingress.Acknowledge;
import dk.brobygger.gateway.ingress.Answerers;
import dk.brobygger.gateway.ingress.DecideConsent;
import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.gateway.ingress.MessageIngress;
import dk.brobygger.gateway.ingress.NameSender;
import dk.brobygger.gateway.ingress.Receive;
import dk.brobygger.gateway.ingress.Record;
import dk.brobygger.gateway.ingress.Validate;
import dk.brobygger.gateway.ingress.ValidationGate;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.storage.CheckpointStore;
import dk.brobygger.gateway.storage.CosignatureStore;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.messages.DeliveryAnswers;
import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.messages.MessageArchive;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.db.Database;
import dk.brobygger.gateway.db.EmbeddedPostgresServer;
import dk.brobygger.gateway.messages.MessageIntake;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.outbox.DeliveryRerun;
import dk.brobygger.gateway.outbox.RecipientPauses;
import dk.brobygger.gateway.http.DeliveryControlResource;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.messages.TaskStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import dk.brobygger.gateway.http.ApiVerticle;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: storage, delivery and the HTTP API, started in dependency order and closed
 * in reverse. {@link Main} starts exactly this, and so do the end-to-end tests.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** A message that arrives during start-up waits this long for the validator, then gets 503. */
  private static final Duration VALIDATOR_READY_WAIT = Duration.ofSeconds(5);
  /** A message that finds every validation slot busy waits this long, then gets 503. */
  private static final Duration VALIDATION_SLOT_WAIT = Duration.ofSeconds(1);
  static final String VERSION = Optional.ofNullable(Gateway.class.getPackage().getImplementationVersion()).orElse("dev");

  private final Deque<AutoCloseable> toClose;
  private final Database database;
  private final int port;
  private final String baseUrl;

  private final ValidationGate validation;
  private Operations operations;

  private Gateway(Deque<AutoCloseable> toClose, Database database, ValidationGate validation, int port, String baseUrl) {
    this.toClose = toClose;
    this.database = database;
    this.validation = validation;
    this.port = port;
    this.baseUrl = baseUrl;
  }

  public static Gateway start(GatewayConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static Gateway start(GatewayConfig config, Clock clock) {
    Deque<AutoCloseable> toClose = new ArrayDeque<>();
    try {
      GatewayKeys keys = GatewayKeys.load(config.keysDirectory(), config.sampleKeysAllowed(), config.sealingSuite());
      if (keys.insecureSample()) {
        LOG.warn("running with the INSECURE sample keys ({} mode): never use this for real citizens' data",
            config.demo() ? "demo" : "development");
      }
      Directory directory = Directory.load(config.directoryFile(), config.sampleKeysAllowed());
      FhirCodec codec = new FhirCodec();
      MessageReader reader = new MessageReader(codec);
      // the validator loads its definitions in the background (seconds); messages wait for it
      ValidationGate validation = ValidationGate.warmingUp(reader::warmUp, VALIDATOR_READY_WAIT, VALIDATION_SLOT_WAIT);
      ConsentEvaluator evaluator = new ConsentEvaluator();

      OperationsMetrics metrics = OperationsMetrics.create();
      toClose.push(metrics);
      Database database = Database.open(config.storage().orElseGet(() -> {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config.dataDirectory(), config.dbPoolSize());
        toClose.push(server); // stops after the pool is closed
        return server.settings();
      }));
      toClose.push(() -> {
        database.close();
        LOG.info("shutdown: database closed");
      });
      metrics.bindPool(database.dataSource());
      AuditLog audit = new AuditLog(database);
      CheckpointStore checkpointStore = new CheckpointStore(database);
      Checkpointer checkpointer = new Checkpointer(audit, checkpointStore, keys.checkpointJwsKey(),
          keys.checkpointNoteSigner(config.auditOrigin()),
          config.auditCheckpointEntries(), config.auditCheckpointInterval(), clock);
      checkpointer.start();
      toClose.push(() -> {
        checkpointer.close();
        LOG.info("shutdown: final checkpoint signed");
      }); // closes before the database, with a final checkpoint
      RepeatedRefusals refusals = new RepeatedRefusals(audit, clock, config.clientLimits().refusalWindow());
      toClose.push(refusals); // the counts of open windows go into the log before the final checkpoint
      RefusalBudget refusalBudget = new RefusalBudget(config.clientLimits().refusalsPerMinute());
      Optional<WitnessPolicy> witnessPolicy = config.auditWitnessPolicy().map(WitnessSubmitter::readPolicy);
      Optional<WitnessSubmitter> witnesses = witnessPolicy.map(policy -> new WitnessSubmitter(
          policy, checkpointStore, new CosignatureStore(database),
          new AuditProofs(audit, checkpointStore), HttpClient.newHttpClient(), clock));
      witnesses.ifPresent(submitter -> {
        metrics.bindWitnessLag(submitter::waitingForQuorum);
        submitter.start(config.auditCheckpointInterval());
        toClose.push(submitter);
      });
      ConsentStore consents = new ConsentStore(database, audit, clock);
      CitizenLinks links = new CitizenLinks(database, audit, clock);
      DisclosurePolicy policy = new DisclosurePolicy(consents, links, evaluator, clock);
      Inbox inbox = new Inbox(database, audit, clock);
      TaskStore tasks = new TaskStore(database);
      MessageIntake intake = new MessageIntake(database, audit, clock);
      String instanceId = "gateway-" + UUID.randomUUID();
      OutboxStore outbox = new OutboxStore(database, audit, directory::byId, clock, config.lease(), instanceId);
      InFlightDisclosures inFlight = new InFlightDisclosures(database, audit, links, clock);
      RecipientPauses pauses = new RecipientPauses(database, audit, clock);

      Vertx vertx = metrics.newVertx();
      toClose.push(() -> await(vertx.close()));
      // database work gets threads of its own, as many as there are connections: more would only
      // wait for a connection while holding a thread; fewer would leave connections idle
      WorkerExecutor databaseWork = vertx.createSharedWorkerExecutor("brobygger-db", config.dbPoolSize());
      toClose.push(() -> await(databaseWork.close()));
      if (config.demo()) {
        toClose.push(SimulatedRecipients.start(vertx, directory, codec, keys.publicSigningKeys()));
      }

      // the stored body was validated at acceptance; re-reading it for the re-check skips base validation
      StoredConsentRecheck recheck = new StoredConsentRecheck(policy, new MessageReader(codec, MessageReader.BaseValidation.DISABLED));
      MessageSigner messageSigner = keys.messageSigner();
      LOG.info("sealing messages with keys.algorithm {}: {} signatures by key {}, encrypted to each recipient's {} key "
          + "(or its other kind when it has only that)", config.sealingSuite().optionValue(), messageSigner.algorithm(),
          messageSigner.keyId(), config.sealingSuite().encryptionCurve());
      DeliveryService delivery = DeliveryService.start(
          outbox,
          recheck,
          inFlight,
          new BundleMinimisation(codec),
          JoseSealing.create(messageSigner, directory),
          config.delivery(), clock);
      Duration stopBound = config.operations().shutdownTimeout();
      Duration deliveryGrace = deliveryGrace(stopBound);
      toClose.push(() -> {
        LOG.info("shutdown: stopping delivery (in-flight attempts get {} to finish, else their lease returns them)",
            deliveryGrace);
        delivery.close(deliveryGrace);
        // an attempt cut off by the stop would otherwise wait out its lease before anyone retries it
        LOG.info("shutdown: delivery stopped; {} unfinished lease(s) returned to the outbox", outbox.releaseLeases());
      });

      Answerers answerers = new Answerers(tasks);
      MessageIngress ingress = new MessageIngress(
          new Receive(config.maxBodyBytes()),
          new Validate(reader, validation, directory),
          new NameSender(directory, codec),
          new Acknowledge(new DeliveryAnswers(database, audit, clock), answerers),
          new DecideConsent(policy),
          new Record(intake, inbox, answerers));

      // routes go in after listening: the issuer and audience of tokens name the port actually bound
      Router router = Router.router(vertx);
      HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost());
      ConnectionGuard connections = new ConnectionGuard(vertx, config.clientLimits().requestTimeout(),
          config.clientLimits().maxConnectionsPerAddress());
      List<ApiVerticle> servers = deployApi(vertx, config.tls() ? ServerTls.apply(options, keys) : options, connections,
          router, config);
      int actualPort = servers.get(0).actualPort();
      Duration drain = drainTime(config.operations().shutdownTimeout());
      toClose.push(() -> {
        LOG.info("shutdown: refusing new connections, draining in-flight requests (at most {})", drain);
        await(Future.all(servers.stream().map(server -> server.shutdown(drain)).toList()));
        LOG.info("shutdown: requests drained");
      });
      String listening = (config.tls() ? "https" : "http") + "://" + config.httpHost() + ":" + actualPort;
      String issuer = config.publicBaseUrl().orElse(listening);

      BaseUrl base = new BaseUrl(config.publicBaseUrl());
      FhirResponses responses = new FhirResponses(codec, refusals, refusalBudget, base);
      long sweep = vertx.setPeriodic(sweepPeriod(config.clientLimits().refusalWindow()), id -> databaseWork.executeBlocking(() -> {
        refusals.closeExpiredWindows();
        refusalBudget.forgetRecovered();
        return null;
      }, false));
      toClose.push(() -> vertx.cancelTimer(sweep));
      Blocking blocking = new Blocking(responses, databaseWork, config.clientLimits().requestTimeout());
      JdbcReplayStore replays = new JdbcReplayStore(database.dataSource());
      long purge = vertx.setPeriodic(Duration.ofMinutes(5).toMillis(),
          id -> databaseWork.executeBlocking(() -> replays.purgeExpired(clock.instant()), false));
      toClose.push(() -> vertx.cancelTimer(purge));
      String tokenUrl = issuer + "/auth/token";
      TokenEndpoint tokenEndpoint = new TokenEndpoint(
          new ClientAssertionVerifier(ClientRegistry.of(directory), replays, tokenUrl, clock),
          new AccessTokens(keys.accessTokenKey(), issuer, issuer + "/fhir", config.tokenLifetime(), clock));
      Authenticate authenticate = new Authenticate(
          new AccessTokenVerifier(keys.publicSigningKeys(), issuer, issuer + "/fhir", clock),
          new ClientCertificates(keys.clientCertificateAuthority(), directory, clock),
          blocking);
      // the people's console (/console): sessions in the database, shared by every instance
      ConsoleSessions consoleSessions = new ConsoleSessions(database, clock, config.console().idleTimeout());
      Optional<InsecureSampleIdentityProvider> samplePeople = config.sampleKeysAllowed()
          ? Optional.of(InsecureSampleIdentityProvider.allowedIn(true)) : Optional.empty();
      Console console = new Console(vertx, consoleSessions, new ConsoleTemplates(),
          new ConsoleAudit(audit, refusals::record,
              new ConsoleAudit.RefusalBudget(refusalBudget::retryAfterSeconds, refusalBudget::spend), clock),
          samplePeople.isPresent(), clock);
      NursePages nursePages = new NursePages(console, new NursePages.Services(consents, links, policy, directory, ingress,
          delivery::wakeUp, tasks, inbox, inFlight, codec, database), clock);
      ConsoleRoutes.install(router, vertx, console, ConsoleAssets.load(), samplePeople, config.console().oidc(), issuer,
          party -> directory.party(party).isPresent(), nursePages);
      DisclosureReport disclosureReport = new DisclosureReport(audit, directory::byId, clock);
      AuditHttp auditHttp = new AuditHttp(audit, checkpointStore, checkpointer, disclosureReport, clock, witnesses);
      new OfficerPages(console, new CitizenTimeline(audit, directory::byId), disclosureReport,
          new LogVerification(auditHttp, new AuditProofs(audit, checkpointStore), checkpointer, checkpointer.verifierKey(),
              witnessPolicy),
          new LogOverview(database, audit, checkpointer, directory::byId, clock)).install(router);
      long consoleSweep = vertx.setPeriodic(Duration.ofMinutes(1).toMillis(),
          id -> vertx.executeBlocking(consoleSessions::sweep, false));
      toClose.push(() -> vertx.cancelTimer(consoleSweep));
      CitizenCriterion citizens = new CitizenCriterion(new PatientIds(database, clock), links);
      TaskResource taskResource = new TaskResource(tasks, new TaskSearch(database), inbox, new MessageArchive(database),
          directory, codec, citizens, base);
      GatewayRoutes.install(router, config.maxBodyBytes(), blocking, responses, refusalBudget, authenticate,
          new GatewayRoutes.TokenService(tokenEndpoint, SmartConfiguration.json(issuer, tokenUrl),
              Jwks.publicJson(keys.publicSigningKeys())),
          new GatewayRoutes.Resources(
              new CapabilityResource(base, VERSION, router::getRoutes, () -> MessageProfiles.bundled().messageDefinitions()
                  .stream().map(d -> d.getUrl()).toList()),
              new ConsentResource(consents, codec, base, audit, clock, inFlight, citizens),
              new MessageResource(ingress, taskResource, delivery::wakeUp, base, clock, codec),
              taskResource,
              new CitizenResource(links, citizens, codec, base),
              new AuditEventResource(audit, base, clock, citizens),
              auditHttp,
              new DeliveryControlResource(new DeliveryRerun(database, audit, directory::byId, recheck, clock),
                  pauses, taskResource, directory, codec, base, delivery::wakeUp),
              new ConformanceResource(MessageProfiles.bundled(), ingress, codec, base)));
      Operations operations = Operations.start(metrics, vertx, databaseWork, router, config, database, delivery::started,
          () -> validation.awaitReady(Duration.ZERO), clock);
      toClose.push(operations);
      LOG.info("Brobygger gateway {} listening on {}/fhir (database {}, {} parties in the directory{})",
          VERSION, listening, database.url(), directory.all().size(), config.demo() ? ", DEMO mode" : "");
      Gateway gateway = new Gateway(toClose, database, validation, actualPort, listening);
      gateway.operations = operations;
      return gateway;
    } catch (RuntimeException e) {
      closeAll(toClose);
      throw e;
    }
  }

  /**
   * The stop's overall bound ({@code shutdown.timeout}) is shared: in-flight requests get half of it,
   * in-flight deliveries a quarter, and the final checkpoint and closing the database the rest.
   * {@link Main} exits anyway once the whole bound has passed.
   */
  static Duration drainTime(Duration stopBound) {
    return stopBound.dividedBy(2);
  }

  static Duration deliveryGrace(Duration stopBound) {
    return stopBound.dividedBy(4);
  }

  /** Windows of repeated refusals close within a quarter of their length (at least 0.1 s, at most 15 s late). */
  private static long sweepPeriod(Duration window) {
    return Math.min(15_000, Math.max(100, window.toMillis() / 4));
  }

  /**
   * The API server as a verticle, one instance per core, all on one port: Vert.x shares a port among
   * the instances of one deployment. It does not share port 0 (each instance would get a port of
   * its own), so port 0 is first resolved to a port that is free now (another one if that is taken
   * before the instances bind it).
   */
  private static List<ApiVerticle> deployApi(Vertx vertx, HttpServerOptions options, ConnectionGuard connections,
      Router router, GatewayConfig config) {
    List<ApiVerticle> servers = new CopyOnWriteArrayList<>();
    int instances = Runtime.getRuntime().availableProcessors();
    for (int attempt = 1; ; attempt++) {
      int port = config.httpPort() == 0 ? freePort(config.httpHost()) : config.httpPort();
      try {
        listen(() -> vertx.deployVerticle(() -> {
          ApiVerticle server = new ApiVerticle(options, connections, router, port);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(instances)), config);
        break;
      } catch (ConfigurationError taken) {
        // a free port can be taken by another process before we bind it: try another one
        if (config.httpPort() != 0 || attempt == 5) {
          throw taken;
        }
        servers.clear();
      }
    }
    Set<Integer> ports = servers.stream().map(ApiVerticle::actualPort).collect(Collectors.toSet());
    if (ports.size() != 1) {
      throw new IllegalStateException("the API's server instances listen on different ports: " + ports);
    }
    LOG.info("API served by {} HTTP server verticle instance(s) on port {}", servers.size(), ports.iterator().next());
    return List.copyOf(servers);
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new ConfigurationError("option " + Options.HTTP_HOST.key() + " is '" + host + "': cannot listen there: "
          + e.getMessage(), e);
    }
  }

  /** A port in use or not ours to take is the operator's mistake: a configuration error, not a crash. */
  private static void listen(java.util.function.Supplier<io.vertx.core.Future<String>> deployment, GatewayConfig config) {
    try {
      await(deployment.get());
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof java.net.BindException || cause instanceof java.net.SocketException) {
          throw new ConfigurationError("option " + Options.HTTP_PORT.key() + " (" + Options.HTTP_PORT.environmentName() + ") is '" + config.httpPort()
              + "': cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + cause.getMessage(), e);
        }
      }
      throw e;
    }
  }

  /**
   * Waits until messages are validated (the gateway listens before its validator is warm; until
   * then messages wait briefly, then get 503). False if not ready within the timeout.
   */
  public boolean awaitReady(Duration timeout) {
    return validation.awaitReady(timeout);
  }

  public int port() {
    return port;
  }

  /** e.g. https://127.0.0.1:8443 (the FHIR base is this plus /fhir; the token URL plus /auth/token). */
  public String baseUrl() {
    return baseUrl;
  }

  /** Metrics and health: the operations listener's port and the probes. */
  public Operations operations() {
    return operations;
  }

  /** The database, for operators' tools and tests that check what was stored. */
  public Database database() {
    return database;
  }

  /** Readiness goes down first, then each step in reverse start order, each logged. */
  @Override
  public void close() {
    if (operations != null) {
      operations.health().shuttingDown();
      LOG.info("shutdown: readiness is down");
    }
    closeAll(toClose);
  }

  private static void closeAll(Deque<AutoCloseable> toClose) {
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
    }
  }

  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause.getMessage(), cause);
    }
  }
}
