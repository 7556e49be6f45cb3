package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dk.brobygger.delivery.seal.SealedMessageOpener;
import dk.brobygger.fhir.Code;
import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.gateway.model.CitizenRules;
import dk.brobygger.gateway.model.CitizenRules.Expectation;
import dk.brobygger.gateway.model.CitizenRules.Outcome;
import dk.brobygger.gateway.model.FhirConsents;
import dk.brobygger.gateway.model.Icd10;
import dk.brobygger.gateway.model.ModelConsent;
import dk.brobygger.gateway.model.ModelItem;
import dk.brobygger.gateway.model.ModelRecipient;
import dk.brobygger.gateway.model.Provision;
import dk.brobygger.gateway.model.RandomCases;
import dk.brobygger.gateway.model.Window;
import dk.brobygger.gateway.testing.TestClock;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Drives the real gateway through its HTTP API with a sequence of operations and checks, after
 * every step, what the WireMock recipients received (decrypted with their sample keys) and what
 * the gateway answered against the consent model ({@link CitizenRules}, {@link
 * dk.brobygger.gateway.model.ConsentModel}). The gateway's clock is the test's: it stands in the
 * middle of a whole hour and jumps by whole hours, and every generated period starts and ends on
 * an hour, so real time passing during a step never crosses a boundary.
 *
 * <p>Invariants: (1) nothing arrives that the model forbids in every consent state in force between
 * acceptance and arrival; (2) nothing the model keeps back arrives, nor a reference to it; (3) every
 * accepted message settles: completed with at least one 2xx on the wire, all under its
 * Idempotency-Key, or cancelled only when the model forbade it at some point, or failed only after
 * a 4xx or exhausted retries; (4) the answers are 202 / 403 / 422 as the model says; (5) every
 * request a recipient saw has its DISCLOSURE_ATTEMPT audit entry with the SHA-256 of those bytes
 * and the consent version the model says it rests on, and the exported log verifies.
 */
final class ConsentMachine implements AutoCloseable {

  static final String JSON = "application/fhir+json";
  static final String CPR_A = RandomCases.CPR_A;
  static final String LOCAL_A = "https://brobygger.dk/sid/outreach-citizen|SVB-0042";
  static final String CPR_B = RandomCases.CPR_OTHER;
  static final List<Set<String>> PATIENT_CHOICES = List.of(
      Set.of(CPR_A), Set.of(CPR_A), Set.of(LOCAL_A), Set.of(CPR_B), Set.of(CPR_A, LOCAL_A), Set.of(CPR_A, CPR_B));
  static final List<String> PATHS = List.of("/gp", "/hospital", "/addiction");
  static final List<SampleParty> PARTIES = List.of(SampleParty.GP, SampleParty.HOSPITAL, SampleParty.ADDICTION_CENTRE);
  static final int MAX_ATTEMPTS = 12;
  static final Duration PATIENCE = Duration.ofSeconds(90);
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
  /** Where the test's clock starts: the middle of an hour. */
  static final Instant START = RandomCases.T0.plus(Duration.ofMinutes(30));

  // ---- operations: data, so that a failing sequence can be replayed without some of them ----

  sealed interface Op permits Record, Change, Withdraw, Advance, Link, Send, SetRecipient, Restart, Deliver, NextCitizens,
      Inbound, AwaitArrival {}

  /** Record a consent; its times are hours relative to the current hour. */
  record Record(String citizen, Provision relativeRoot) implements Op {}

  /** A new version of the n-th recorded consent (active, new provisions). */
  record Change(int consent, Provision relativeRoot) implements Op {}

  record Withdraw(int consent) implements Op {}

  record Advance(int hours) implements Op {}

  record Link() implements Op {}

  /** An item to add to a referral: its data time is hours relative to the current hour. */
  record ItemSpec(String type, Set<String> codes, Set<String> senderLabels, Optional<Integer> hour) {}

  /** A referral, or (appointment) an appointment request: the referral with an Appointment `proposed`. */
  record Send(int recipient, String purpose, Set<String> patient, List<ItemSpec> items, boolean appointment)
      implements Op {
    Send(int recipient, String purpose, Set<String> patient, List<ItemSpec> items) {
      this(recipient, purpose, patient, items, false);
    }
  }

  /**
   * A message into the outreach team, which needs no consent and must send nothing onward: (kind 0)
   * a GP's referral of the citizen, or (kind 1) the recipient's appointment-response to the latest
   * accepted appointment request (a GP referral when there is none).
   */
  record Inbound(int kind) implements Op {}

  /** Waits until the latest accepted message has reached its recipient (for hand-written examples). */
  record AwaitArrival() implements Op {}

  /** LATE_200 answers 200 only after the gateway's response timeout (not generated: each costs its wait). */
  enum Mode { UP, DOWN_503, REFUSING_400, FAILING_500, LATE_200 }

  record SetRecipient(int recipient, Mode mode) implements Op {}

  record Restart() implements Op {}

  record Deliver() implements Op {}

  /**
   * From now on the identifiers name new citizens (a new street community): without it, consents
   * and denies pile up on the same three identifiers until nearly every message is refused.
   */
  record NextCitizens() implements Op {}

  // ---- the world ----

  /**
   * One consent state (and model time): possibly in force from when the request that made it was
   * sent (it may commit before its answer arrives), certainly from when its answer came.
   */
  record Epoch(CitizenRules rules, Instant modelTime, Instant requestedAt, Instant realFrom, boolean byWithdrawal) {}

  record Accepted(String messageId, String taskId, int recipient, String purpose, Set<String> patient,
      List<ModelItem> items, String focus, int acceptedEpoch, Instant acceptedAt, boolean appointment) {}

  /** Counters for the report. */
  static final class Counts {
    long ops;
    long sends;
    long accepted;
    long refused403;
    long refused422;
    long delivered;
    long keptBackItems;
    long cancelled;
    long failed;
    long restarts;
    long holeAnswers;
    long holeDeliveries;
    long duplicates;
    long auditMissingAfterRestart;
    long cancelledAfterUnansweredDelivery;
    long appointmentRequests;
    long inbound;
    long failedMayHaveArrived;
    Map<String, Long> opKinds = new LinkedHashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();

    @Override
    public String toString() {
      return "ops " + ops + " " + opKinds + ", sends " + sends + " (202: " + accepted + ", 403: " + refused403
          + ", 422: " + refused422 + "), requests delivered " + delivered + ", items kept back " + keptBackItems
          + ", tasks cancelled " + cancelled + ", failed " + failed + ", restarts " + restarts
          + ", answers only the pre-issue-14 rules explain " + holeAnswers
          + ", deliveries only the pre-issue-14 rules explain " + holeDeliveries
          + ", repeated 2xx deliveries (same key) after a restart or clock jump " + duplicates
          + ", requests without an attempt entry after a restart or clock jump " + auditMissingAfterRestart
          + ", cancelled or failed after a 2xx that came too late " + cancelledAfterUnansweredDelivery
          + ", appointment requests sent " + appointmentRequests + ", inbound messages " + inbound
          + ", failed naming an unanswered attempt (may have arrived) " + failedMayHaveArrived + "; ms per kind " + millis;
    }
  }

  /** A model-checked failure: what was wrong, at which step. */
  static final class Violation extends AssertionError {
    final int step;

    Violation(int step, String message) {
      super("step " + step + ": " + message);
      this.step = step;
    }
  }

  private final Path dataDir;
  /** Demand the issue-14 rules (true), or tolerate and count where only the old rules explain an outcome. */
  private final boolean strict;
  private final TestClock clock = TestClock.runningFrom(START);
  private final WireMockServer recipients = new WireMockServer(options().dynamicPort());
  private final Map<Integer, StubMapping> stubs = new HashMap<>();
  private final Mode[] modes = {Mode.UP, Mode.UP, Mode.UP};
  /** The instance this step talks to; with two instances they take turns, step by step. */
  private TestGateway gateway;
  /** The second gateway instance on the same database, when there are two. */
  private TestGateway other;
  private Path gatewayDir;
  private Path otherDir;
  private final Optional<dk.brobygger.gateway.storage.PostgresStorage.FreshSchema> sharedDatabase;
  private final List<Epoch> epochs = new ArrayList<>();
  private final List<String> consentIds = new ArrayList<>();
  private final Map<String, Accepted> accepted = new LinkedHashMap<>();
  private final Set<String> settled = new LinkedHashSet<>();
  private final Set<String> checkedRequests = new LinkedHashSet<>();
  private final List<ServeEvent> awaitingAudit = new ArrayList<>();
  private final List<Instant> restarts = new ArrayList<>();
  /** When the gateway was restarted or its clock jumped: both may make an attempt's lease run out. */
  private final List<Instant> disruptions = new ArrayList<>();
  private final ObjectMapper json = new ObjectMapper();
  final Counts counts = new Counts();
  private int step;
  /** Which citizens CPR_A, LOCAL_A and CPR_B name now (see {@link NextCitizens}). */
  private int generation;

  ConsentMachine(Path dataDir, boolean strict) {
    this(dataDir, strict, Integer.getInteger("model.instances", 1));
  }

  /**
   * @param instances 1, or 2: two gateway instances on one PostgreSQL, both delivering, the
   *     operations sent to them in turn, a restart restarting the one whose turn it is
   */
  ConsentMachine(Path dataDir, boolean strict, int instances) {
    this.dataDir = dataDir;
    this.strict = strict;
    this.sharedDatabase = instances == 2
        ? Optional.of(dk.brobygger.gateway.storage.PostgresStorage.freshSchema()) : Optional.empty();
    recipients.start();
    for (int r = 0; r < 3; r++) {
      setMode(r, Mode.UP);
    }
    gatewayDir = dataDir;
    gateway = startGateway(gatewayDir);
    if (instances == 2) {
      otherDir = dataDir.resolveSibling(dataDir.getFileName() + "-second");
      other = startGateway(otherDir);
    }
    epochs.add(new Epoch(new CitizenRules(), START, Instant.now(), Instant.now(), false));
  }

  private TestGateway startGateway(Path dir) {
    String base = "http://localhost:" + recipients.port();
    List<String> shared = sharedDatabase.map(db -> List.of("--db.url", db.settings().jdbcUrl())).orElse(List.of());
    List<String> args = new ArrayList<>(List.of(
        "--delivery.max-attempts", Integer.toString(MAX_ATTEMPTS),
        "--delivery.max-age", "P3650D",
        // generous on a shared, loaded machine: a late answer is an unknown outcome (only Mode.LATE_200 makes one)
        "--delivery.response-timeout", "PT" + RESPONSE_TIMEOUT.toSeconds() + "S",
        "--delivery.lease", "PT20S"));
    args.addAll(shared);
    return TestGateway.start(dir, Map.of(
            "laegehuset-sydfyn", base + PATHS.get(0),
            "svendborg-sygehus", base + PATHS.get(1),
            "behandlingscenter-svendborg", base + PATHS.get(2)),
        clock,
        args.toArray(String[]::new));
  }

  @Override
  public void close() {
    gateway.close();
    if (other != null) {
      other.close();
    }
    recipients.stop();
    sharedDatabase.ifPresent(dk.brobygger.gateway.storage.PostgresStorage.FreshSchema::close);
  }

  private Epoch now() {
    return epochs.get(epochs.size() - 1);
  }

  private Instant hour() {
    return now().modelTime().truncatedTo(ChronoUnit.HOURS);
  }

  /** The last time a consent version was stamped with (see {@link #stamp()}). */
  private Instant lastStamp = Instant.EPOCH;

  /**
   * When a consent version is recorded, as the model and the consent's dateTime say: its hour, plus
   * a second for each version recorded before it in that hour, so that the model orders versions
   * (and withdrawals, which overtake what was recorded before them) as the store's times do.
   */
  private Instant stamp() {
    Instant next = lastStamp.plusSeconds(1);
    lastStamp = next.isAfter(hour()) ? next : hour();
    return lastStamp;
  }

  // ---- running ----

  /** Runs the operations in order, checking after each; throws a {@link Violation} on the first broken invariant. */
  void run(List<Op> ops) {
    run(ops, Optional.empty());
  }

  /** As {@link #run(List)}, stopping before the next operation once {@code stopBy} has passed (a bounded long run). */
  void run(List<Op> ops, Optional<Instant> stopBy) {
    for (Op op : ops) {
      if (stopBy.isPresent() && Instant.now().isAfter(stopBy.get())) {
        return;
      }
      long started = System.nanoTime();
      apply(op);
      counts.ops++;
      counts.opKinds.merge(op.getClass().getSimpleName(), 1L, Long::sum);
      checkArrivals();
      counts.millis.merge(op.getClass().getSimpleName(), (System.nanoTime() - started) / 1_000_000, Long::sum);
      if (other != null) {
        TestGateway next = other;
        other = gateway;
        gateway = next;
        Path nextDir = otherDir;
        otherDir = gatewayDir;
        gatewayDir = nextDir;
      }
      if (Boolean.getBoolean("model.trace")) { System.out.println("op " + step + " " + op.getClass().getSimpleName() + " " + (System.nanoTime() - started) / 1_000_000 + " ms"); }
      step++;
    }
  }

  void apply(Op op) {
    if (op instanceof Record r) {
      record(r);
    } else if (op instanceof Change c) {
      change(c);
    } else if (op instanceof Withdraw w) {
      withdraw(w);
    } else if (op instanceof Advance a) {
      advance(a.hours());
    } else if (op instanceof Link) {
      link();
    } else if (op instanceof Send s) {
      send(s);
    } else if (op instanceof SetRecipient s) {
      setMode(s.recipient(), s.mode());
    } else if (op instanceof Restart) {
      restart();
    } else if (op instanceof NextCitizens) {
      generation++;
    } else if (op instanceof Inbound i) {
      inbound(i);
    } else if (op instanceof AwaitArrival) {
      awaitArrival();
    } else {
      deliver();
    }
  }

  /** The identifier of the current generation's citizen that the token names in generation 0. */
  private String current(String token) {
    int day = 1 + generation % 28;
    if (token.equals(CPR_A)) {
      return String.format("urn:oid:1.2.208.176.1.2|%02d01801234", day);
    } else if (token.equals(CPR_B)) {
      return String.format("urn:oid:1.2.208.176.1.2|%02d02802345", day);
    } else if (token.equals(LOCAL_A)) {
      return String.format("https://brobygger.dk/sid/outreach-citizen|SVB-%04d", 42 + generation);
    }
    throw new IllegalArgumentException(token);
  }

  private Set<String> current(Set<String> tokens) {
    return tokens.stream().map(this::current).collect(Collectors.toSet());
  }

  private void record(Record op) {
    Provision root = shifted(op.relativeRoot(), hour());
    String citizen = current(op.citizen());
    Instant recordedAt = stamp();
    ModelConsent draft = new ModelConsent("new", 1, citizen, true, Optional.of(recordedAt), root);
    Consent fhir = FhirConsents.consent(draft);
    fhir.setId((String) null);
    fhir.setMeta(null);
    Instant requested = Instant.now();
    HttpResponse<String> answer = gateway.post("/Consent", JSON, Fixtures.json(fhir).getBytes(StandardCharsets.UTF_8));
    require(answer.statusCode() == 201, "recording a consent answered " + answer.statusCode() + " " + answer.body());
    Consent stored = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, answer.body());
    String id = stored.getIdElement().getIdPart();
    consentIds.add(id);
    CitizenRules next = now().rules().copy();
    next.record(new ModelConsent(id, Long.parseLong(stored.getMeta().getVersionId()), citizen, true,
        Optional.of(recordedAt), root));
    epochs.add(new Epoch(next, now().modelTime(), requested, Instant.now(), false));
  }

  private void change(Change op) {
    if (consentIds.isEmpty()) {
      return;
    }
    String id = consentIds.get(op.consent() % consentIds.size());
    ModelConsent current = now().rules().consent(id).orElseThrow();
    Provision root = shifted(op.relativeRoot(), hour());
    put(current, new ModelConsent(id, current.version() + 1, current.citizen(), true, Optional.of(stamp()), root), false);
  }

  private void withdraw(Withdraw op) {
    if (consentIds.isEmpty()) {
      return;
    }
    String id = consentIds.get(op.consent() % consentIds.size());
    ModelConsent current = now().rules().consent(id).orElseThrow();
    // a withdrawal is the citizen's word at the time it is recorded, and overtakes what came before it
    put(current, new ModelConsent(id, current.version() + 1, current.citizen(), false, Optional.of(stamp()), current.root()), true);
  }

  private void put(ModelConsent current, ModelConsent next, boolean withdrawal) {
    Consent fhir = FhirConsents.consent(next);
    fhir.getMeta().setVersionId(null);
    Instant requested = Instant.now();
    HttpResponse<String> answer = gateway.put("/Consent/" + current.id(), JSON, Fixtures.json(fhir),
        "If-Match", "W/\"" + current.version() + "\"");
    require(answer.statusCode() == 200, "PUT Consent/" + current.id() + " answered " + answer.statusCode() + " " + answer.body());
    Consent stored = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, answer.body());
    require(Long.parseLong(stored.getMeta().getVersionId()) == next.version(),
        "the new version of consent " + current.id() + " is " + stored.getMeta().getVersionId() + ", not " + next.version());
    CitizenRules rules = now().rules().copy();
    rules.record(next);
    epochs.add(new Epoch(rules, now().modelTime(), requested, Instant.now(), withdrawal));
  }

  private void advance(int hours) {
    Instant target = now().modelTime().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(hours)).plus(Duration.ofMinutes(30));
    Instant requested = Instant.now();
    clock.set(target);
    disruptions.add(Instant.now());
    gateway.forgetTokens();
    if (other != null) {
      other.forgetTokens();
    }
    epochs.add(new Epoch(now().rules(), target, requested, Instant.now(), false));
  }

  private void link() {
    Patient citizen = new Patient();
    for (String token : List.of(current(CPR_A), current(LOCAL_A))) {
      String[] parts = token.split("\\|", 2);
      citizen.addIdentifier().setSystem(parts[0]).setValue(parts[1]);
    }
    Instant requested = Instant.now();
    HttpResponse<String> answer = gateway.post("/Patient/$link-identifiers", JSON, Fixtures.json(citizen).getBytes(StandardCharsets.UTF_8));
    require(answer.statusCode() == 200, "linking answered " + answer.statusCode() + " " + answer.body());
    CitizenRules rules = now().rules().copy();
    rules.link(Set.of(current(CPR_A), current(LOCAL_A)));
    epochs.add(new Epoch(rules, now().modelTime(), requested, Instant.now(), false));
  }

  private void setMode(int recipient, Mode mode) {
    StubMapping old = stubs.remove(recipient);
    if (old != null) {
      recipients.removeStub(old);
    }
    int status = switch (mode) {
      case UP, LATE_200 -> 200;
      case DOWN_503 -> 503;
      case REFUSING_400 -> 400;
      case FAILING_500 -> 500;
    };
    int delay = mode == Mode.LATE_200 ? (int) RESPONSE_TIMEOUT.plusSeconds(2).toMillis() : 0;
    stubs.put(recipient, recipients.stubFor(post(urlEqualTo(PATHS.get(recipient)))
        .willReturn(aResponse().withStatus(status).withFixedDelay(delay))));
    modes[recipient] = mode;
  }

  private void restart() {
    Path dir = gatewayDir;
    gateway.close();
    restarts.add(Instant.now());
    disruptions.add(Instant.now());
    counts.restarts++;
    gateway = startGateway(dir);
  }

  // ---- sending ----

  private void send(Send op) {
    counts.sends++;
    Set<String> named = current(op.patient());
    ModelRecipient recipient = RandomCases.RECIPIENTS.get(op.recipient());
    Bundle message = Fixtures.referralTo(recipient.sor());
    String messageId = Fixtures.messageId(message);
    MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
    header.getReason().addCoding(new Coding(Code.PURPOSE_OF_USE, op.purpose(), null));
    Bundle.BundleEntryComponent patientEntry = message.getEntry().stream()
        .filter(e -> e.getResource() instanceof Patient).findFirst().orElseThrow();
    Patient patient = (Patient) patientEntry.getResource();
    patient.getIdentifier().clear();
    named.stream().sorted().forEach(token -> {
      String[] parts = token.split("\\|", 2);
      patient.addIdentifier(new Identifier().setSystem(parts[0]).setValue(parts[1]));
    });
    Bundle.BundleEntryComponent focusEntry = message.getEntry().stream()
        .filter(e -> e.getResource() instanceof ServiceRequest).findFirst().orElseThrow();
    ServiceRequest request = (ServiceRequest) focusEntry.getResource();
    request.setAuthoredOnElement(null);
    request.getReasonReference().clear();
    request.getSupportingInfo().clear();
    message.getEntry().removeIf(e -> e.getResource() instanceof Condition || e.getResource() instanceof Observation);
    Optional<String> appointmentUrl = Optional.empty();
    if (op.appointment()) {
      header.getEventCoding().setCode("appointment-request");
      Appointment appointment = new Appointment();
      String fullUrl = "urn:uuid:" + UUID.randomUUID();
      appointment.setId(fullUrl.substring("urn:uuid:".length()));
      appointment.setStatus(Appointment.AppointmentStatus.PROPOSED);
      appointment.setDescription("Opfølgning; borgeren ledsages af gadesygeplejersken");
      appointment.addReasonCode().setText("Opfølgning efter henvisning");
      appointment.addBasedOn(new Reference(focusEntry.getFullUrl()));
      appointment.addParticipant().setActor(new Reference(patientEntry.getFullUrl()))
          .setRequired(Appointment.ParticipantRequired.REQUIRED).setStatus(Appointment.ParticipationStatus.ACCEPTED);
      appointment.addRequestedPeriod().setStart(Date.from(hour().plus(Duration.ofDays(1))))
          .setEnd(Date.from(hour().plus(Duration.ofDays(1)).plus(Duration.ofHours(4))));
      message.addEntry().setFullUrl(fullUrl).setResource(appointment);
      appointmentUrl = Optional.of(fullUrl);
    }

    List<ModelItem> items = new ArrayList<>();
    items.add(new ModelItem(patientEntry.getFullUrl(), "Patient", Set.of(), Set.of(), Optional.empty()));
    items.add(new ModelItem(focusEntry.getFullUrl(), "ServiceRequest", Set.of(), Set.of(), Optional.empty()));
    appointmentUrl.ifPresent(url -> items.add(new ModelItem(url, "Appointment", Set.of(), Set.of(), Optional.empty())));
    for (ItemSpec spec : op.items()) {
      String fullUrl = "urn:uuid:" + UUID.randomUUID();
      Optional<Instant> time = spec.hour().map(h -> hour().plus(Duration.ofHours(h)));
      Resource resource = itemResource(spec, fullUrl, patientEntry.getFullUrl(), time);
      message.addEntry().setFullUrl(fullUrl).setResource(resource);
      if (resource instanceof Condition) {
        request.addReasonReference(new Reference(fullUrl));
      } else {
        request.addSupportingInfo(new Reference(fullUrl));
      }
      Set<String> labels = new LinkedHashSet<>(spec.senderLabels());
      spec.codes().forEach(c -> labels.addAll(Icd10.labels(c)));
      items.add(new ModelItem(fullUrl, spec.type(), labels, spec.codes(), time));
    }

    Epoch at = now();
    Expectation intended = at.rules().intended(named, recipient, op.purpose(), items, focusEntry.getFullUrl(), at.modelTime());
    Expectation old = at.rules().asBuiltBefore14(named, recipient, op.purpose(), items, focusEntry.getFullUrl(), at.modelTime());
    HttpResponse<String> answer = gateway.post("/$process-message", JSON, Fixtures.bytes(message));
    Outcome got = switch (answer.statusCode()) {
      case 202 -> Outcome.PERMIT;
      case 403 -> Outcome.DENY;
      case 422 -> Outcome.REFUSED_NOT_ONE_CITIZEN;
      default -> throw new Violation(step, "the gateway answered " + answer.statusCode() + " to " + op + ": " + answer.body());
    };
    if (got != intended.outcome()) {
      require(!strict && got == old.outcome(), "the gateway answered " + answer.statusCode() + " where the model expects "
          + intended.outcome() + " (before issue 14: " + old.outcome() + ") for " + op + " in " + at.rules().consents()
          + " at " + at.modelTime() + ": " + answer.body());
      counts.holeAnswers++;
    }
    if (got == Outcome.REFUSED_NOT_ONE_CITIZEN) {
      require(answer.body().contains("more than one citizen"), "a 422 that does not say the message names more than one citizen: " + answer.body());
      counts.refused422++;
    } else if (got == Outcome.DENY) {
      counts.refused403++;
    } else {
      counts.accepted++;
      if (op.appointment()) {
        counts.appointmentRequests++;
      }
      Task task = Fixtures.taskOf(answer);
      accepted.put(messageId, new Accepted(messageId, task.getIdElement().getIdPart(), op.recipient(), op.purpose(),
          named, items, focusEntry.getFullUrl(), epochs.size() - 1, Instant.now(), op.appointment()));
    }
  }

  private static Resource itemResource(ItemSpec spec, String fullUrl, String patientUrl, Optional<Instant> time) {
    CodeableConcept code = new CodeableConcept();
    spec.codes().stream().sorted().forEach(c -> code.addCoding(new Coding(FhirConsents.ICD_10, c, null)));
    if (spec.codes().isEmpty()) {
      code.addCoding(new Coding("http://loinc.org", "85354-9", "Blood pressure panel"));
    }
    Resource resource;
    if (spec.type().equals("Condition")) {
      Condition condition = new Condition();
      condition.setCode(code);
      condition.setSubject(new Reference(patientUrl));
      condition.getClinicalStatus().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/condition-clinical").setCode("active");
      time.ifPresent(t -> condition.setRecordedDateElement(new DateTimeType(Date.from(t))));
      resource = condition;
    } else {
      Observation observation = new Observation();
      observation.setStatus(Observation.ObservationStatus.FINAL);
      observation.setCode(code);
      observation.setSubject(new Reference(patientUrl));
      time.ifPresent(t -> observation.setEffective(new DateTimeType(Date.from(t))));
      resource = observation;
    }
    resource.setId(fullUrl.substring("urn:uuid:".length()));
    spec.senderLabels().stream().sorted().forEach(l -> resource.getMeta().addSecurity(new Coding(Code.ACT_CODE, l, null)));
    return resource;
  }

  // ---- messages into the outreach team ----

  private void inbound(Inbound op) {
    Optional<Accepted> requested = accepted.values().stream().filter(Accepted::appointment)
        .reduce((first, second) -> second);
    HttpResponse<String> answer;
    if (op.kind() == 1 && requested.isPresent()) {
      Accepted request = requested.get();
      // the sample answers the sample request: it names that request's id in its header and its Provenance
      Bundle response = example("appointment-response-booked.json", "4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24", request.messageId());
      ((MessageHeader) response.getEntryFirstRep().getResource()).setId(UUID.randomUUID().toString());
      renameSender(response, request.recipient());
      nameCitizen(response, request.patient());
      answer = gateway.as(PARTIES.get(request.recipient())).post("/$process-message", JSON, Fixtures.bytes(response));
    } else {
      Bundle referral = example("referral-from-gp-to-outreach.json", "", "");
      ((MessageHeader) referral.getEntryFirstRep().getResource()).setId(UUID.randomUUID().toString());
      nameCitizen(referral, current(Set.of(CPR_A)));
      answer = gateway.as(SampleParty.GP).post("/$process-message", JSON, Fixtures.bytes(referral));
    }
    // an inbound message needs no consent, is answered at once, and sends nothing onward
    require(answer.statusCode() == 200, "an inbound message (" + op + ") answered " + answer.statusCode() + " " + answer.body());
    counts.inbound++;
  }

  /** The appointment-response sample comes from the hospital; an answer from another recipient names that one. */
  private static void renameSender(Bundle response, int recipient) {
    String sor = RandomCases.RECIPIENTS.get(recipient).sor();
    MessageHeader header = (MessageHeader) response.getEntryFirstRep().getResource();
    String senderUrl = header.getSender().getReference();
    response.getEntry().stream().filter(e -> e.getFullUrl().equals(senderUrl))
        .map(e -> (org.hl7.fhir.r4.model.Organization) e.getResource())
        .forEach(org -> {
          String old = org.getIdentifierFirstRep().getValue();
          org.getIdentifierFirstRep().setValue(sor);
          if (header.getSource().hasEndpoint()) {
            header.getSource().setEndpoint(header.getSource().getEndpoint().replace(old, sor));
          }
          org.setName(null);
        });
    header.getSource().setName(null);
  }

  /** Names the citizen by these identifiers (already the current generation's) in every Patient of the message. */
  private static void nameCitizen(Bundle message, Set<String> identifiers) {
    message.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r instanceof Patient).map(r -> (Patient) r).forEach(patient -> {
          patient.getIdentifier().clear();
          identifiers.stream().sorted().forEach(token -> {
            String[] parts = token.split("\\|", 2);
            patient.addIdentifier(new Identifier().setSystem(parts[0]).setValue(parts[1]));
          });
        });
  }

  private static Bundle example(String name, String replace, String with) {
    String text = new String(Fixtures.example(name), StandardCharsets.UTF_8);
    return Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, replace.isEmpty() ? text : text.replace(replace, with));
  }

  private void awaitArrival() {
    if (accepted.isEmpty()) {
      return;
    }
    String key = new ArrayList<>(accepted.keySet()).get(accepted.size() - 1);
    await("message " + key + " to reach its recipient").atMost(PATIENCE)
        .until(() -> recipients.getAllServeEvents().stream().anyMatch(e -> key.equals(e.getRequest().getHeader("Idempotency-Key")))
            || wireMockReceiving(key));
  }

  /** Whether WireMock holds a request with this key that it has not answered yet (a late answer's wait). */
  private boolean wireMockReceiving(String key) {
    return recipients.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).stream()
        .anyMatch(r -> key.equals(r.getHeader("Idempotency-Key")));
  }

  // ---- checking what arrived ----

  /** Invariants 1, 2 and (when its outcome is recorded) 5 for every request the recipients received since the last look. */
  private void checkArrivals() {
    List<ServeEvent> events = new ArrayList<>(recipients.getAllServeEvents());
    events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    for (ServeEvent event : events) {
      if (checkedRequests.add(event.getId().toString())) {
        checkArrival(event);
        awaitingAudit.add(event);
      }
    }
  }

  private void checkArrival(ServeEvent event) {
    String key = event.getRequest().getHeader("Idempotency-Key");
    Accepted message = accepted.get(key);
    require(message != null, "a recipient received a message the gateway never accepted (Idempotency-Key " + key + ")");
    int recipient = PATHS.indexOf(event.getRequest().getUrl());
    require(recipient == message.recipient(), "message " + key + " went to " + event.getRequest().getUrl());
    String payload = new String(new SealedMessageOpener(InsecureSampleKeys.encryptionKeys(PARTIES.get(recipient)),
        InsecureSampleKeys.gatewaySigningPublicKeys()).open(event.getRequest().getBody()).payload(), StandardCharsets.UTF_8);
    Bundle delivered = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, payload);
    Set<String> entries = delivered.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).collect(Collectors.toSet());
    Instant arrival = event.getRequest().getLoggedDate().toInstant();
    List<String> reasons = new ArrayList<>();
    boolean onlyOldRules = false;
    for (Epoch epoch : candidates(message, arrival)) {
      for (boolean intendedRules : strict ? List.of(true) : List.of(true, false)) {
        Expectation expected = expectation(epoch, message, intendedRules);
        if (expected.outcome() != Outcome.PERMIT) {
          reasons.add("at " + epoch.modelTime() + " the model " + (intendedRules ? "" : "(before issue 14) ") + "forbids it in "
              + epoch.rules().consents());
          continue;
        }
        Set<String> keptBack = expected.decision().keptBack();
        List<String> leaked = keptBack.stream().filter(payload::contains).toList();
        List<String> missing = message.items().stream().map(ModelItem::reference)
            .filter(ref -> !keptBack.contains(ref) && !entries.contains(ref)).toList();
        if (!leaked.isEmpty() || !missing.isEmpty()) {
          reasons.add("at " + epoch.modelTime() + " the model keeps back " + keptBack + "; leaked " + leaked + ", missing " + missing);
          continue;
        }
        if (!intendedRules) {
          onlyOldRules = true;
        }
        counts.delivered++;
        counts.keptBackItems += keptBack.size();
        if (onlyOldRules) {
          counts.holeDeliveries++;
        }
        return;
      }
    }
    throw new Violation(step, "message " + key + " to " + PATHS.get(recipient) + " arrived at " + arrival
        + " but no consent state since its acceptance permits what arrived: " + reasons);
  }

  /** Consent states that may have been in force at some moment between the message's acceptance and its arrival. */
  private List<Epoch> candidates(Accepted message, Instant arrival) {
    int last = message.acceptedEpoch();
    for (int i = message.acceptedEpoch() + 1; i < epochs.size(); i++) {
      if (!epochs.get(i).requestedAt().isAfter(arrival)) {
        last = i;
      }
    }
    int first = message.acceptedEpoch();
    if (strict) {
      // the fence (issue 14): once a withdrawal's 200 is sent, only states from it on count
      for (int i = first + 1; i <= last; i++) {
        if (epochs.get(i).byWithdrawal() && !epochs.get(i).realFrom().isAfter(arrival)) {
          first = i;
        }
      }
    }
    return epochs.subList(first, last + 1);
  }

  private Expectation expectation(Epoch epoch, Accepted m, boolean intendedRules) {
    ModelRecipient recipient = RandomCases.RECIPIENTS.get(m.recipient());
    return intendedRules
        ? epoch.rules().intended(m.patient(), recipient, m.purpose(), m.items(), m.focus(), epoch.modelTime())
        : epoch.rules().asBuiltBefore14(m.patient(), recipient, m.purpose(), m.items(), m.focus(), epoch.modelTime());
  }

  // ---- letting delivery run ----

  /** Every recipient up, every accepted message settled; invariants 3 and 5. */
  void deliver() {
    for (int r = 0; r < 3; r++) {
      if (modes[r] != Mode.UP) {
        setMode(r, Mode.UP);
      }
    }
    for (Accepted message : accepted.values()) {
      if (settled.contains(message.messageId())) {
        continue;
      }
      Task task = await("message " + message.messageId() + " settles").atMost(PATIENCE)
          .until(() -> task(message), t -> t.getStatus() == Task.TaskStatus.COMPLETED || t.getStatus() == Task.TaskStatus.FAILED
              || t.getStatus() == Task.TaskStatus.CANCELLED);
      checkArrivals();
      settle(message, task.getStatus(), task.getStatusReason().getText());
      settled.add(message.messageId());
    }
    checkAudit();
  }

  private Task task(Accepted message) {
    HttpResponse<String> answer = gateway.get("/Task/" + message.taskId());
    if (answer.statusCode() == 401) {
      gateway.forgetTokens();
      answer = gateway.get("/Task/" + message.taskId());
    }
    require(answer.statusCode() == 200, "GET Task/" + message.taskId() + " answered " + answer.statusCode());
    return Fixtures.FHIR.newJsonParser().parseResource(Task.class, answer.body());
  }

  /** Task.statusReason's words when a Task stopped after an attempt whose bytes went out unanswered. */
  static final String MAY_HAVE_ARRIVED = "got no answer, so the recipient may have received the message";

  private void settle(Accepted message, Task.TaskStatus status, String reason) {
    boolean mayHaveArrived = reason != null && reason.contains(MAY_HAVE_ARRIVED);
    List<ServeEvent> wire = recipients.getAllServeEvents().stream()
        .filter(e -> message.messageId().equals(e.getRequest().getHeader("Idempotency-Key"))).toList();
    long ok = wire.stream().filter(e -> e.getResponse().getStatus() / 100 == 2).count();
    long refused = wire.stream().filter(e -> e.getResponse().getStatus() / 100 == 4).count();
    switch (status) {
      case COMPLETED -> {
        require(ok >= 1, "message " + message.messageId() + " is completed but no recipient answered 2xx to it");
        if (ok > 1) {
          // at-least-once: a restart, or a clock jump past an attempt's lease, may send it again (same key)
          require(disruptions.stream().anyMatch(d -> d.isAfter(message.acceptedAt())),
              "message " + message.messageId() + " was delivered " + ok + " times without a restart or a clock jump");
          counts.duplicates += ok - 1;
        }
      }
      case FAILED -> {
        counts.failed++;
        if (mayHaveArrived) {
          // stopped (by consent, or out of attempts) after an attempt whose answer never came: never "cancelled"
          require(wire.size() >= 1 || disruptions.stream().anyMatch(d -> d.isAfter(message.acceptedAt())),
              "message " + message.messageId() + " names an unanswered attempt but no request reached its recipient");
          counts.failedMayHaveArrived++;
        } else {
          require(refused >= 1 || wire.size() >= MAX_ATTEMPTS, "message " + message.messageId()
              + " failed after " + wire.size() + " attempts and no 4xx: " + reason);
        }
        require(ok == 0 || timedOut(message) || mayHaveArrived,
            "message " + message.messageId() + " failed although a recipient answered 2xx");
      }
      case CANCELLED -> {
        counts.cancelled++;
        // "cancelled" says nothing was sent: a Task whose attempt went out unanswered ends failed instead
        require(ok == 0, "message " + message.messageId() + " is cancelled but was delivered (" + reason + ")");
        boolean forbidden = epochs.subList(message.acceptedEpoch(), epochs.size()).stream()
            .anyMatch(e -> expectation(e, message, true).outcome() != Outcome.PERMIT
                || (!strict && expectation(e, message, false).outcome() != Outcome.PERMIT));
        require(forbidden, "message " + message.messageId() + " was cancelled although the model permitted it throughout");
      }
      default -> throw new Violation(step, "message " + message.messageId() + " is " + status);
    }
  }

  /** Whether the gateway recorded an attempt of the message whose answer did not come in time. */
  private boolean timedOut(Accepted message) {
    return gateway.auditEntries("DISCLOSURE_ATTEMPT").stream()
        .anyMatch(entry -> entry.contains(message.messageId()) && entry.contains("did not answer"));
  }

  /** Invariant 5: each request seen has its attempt entry (sha256 of the bytes, the consent version), and the log verifies. */
  private void checkAudit() {
    Map<String, JsonNode> attempts = new HashMap<>();
    for (String entry : gateway.auditEntries("DISCLOSURE_ATTEMPT")) {
      try {
        JsonNode node = json.readTree(entry);
        if (node.hasNonNull("sentSha256")) {
          attempts.put(node.get("sentSha256").asText(), node);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (ServeEvent event : awaitingAudit) {
      byte[] body = event.getRequest().getBody();
      JsonNode entry = Optional.ofNullable(attempts.get(sha256Hex(body))).orElse(attempts.get(sha256Base64(body)));
      Instant arrival = event.getRequest().getLoggedDate().toInstant();
      if (entry == null) {
        // an attempt whose outcome could not be recorded (restart, or a clock jump past its lease)
        // leaves no entry until issue 14's "durable record before the bytes leave" is in
        boolean disruptedWhileInFlight = disruptions.stream().anyMatch(d -> !d.isBefore(arrival.minusSeconds(15)));
        require(disruptedWhileInFlight && !strict, "no DISCLOSURE_ATTEMPT entry for the bytes message "
            + event.getRequest().getHeader("Idempotency-Key") + " delivered at " + arrival);
        counts.auditMissingAfterRestart++;
        continue;
      }
      Accepted message = accepted.get(event.getRequest().getHeader("Idempotency-Key"));
      require(entry.path("messageId").asText().equals(message.messageId()), "the attempt entry names message "
          + entry.path("messageId").asText() + " for the bytes of " + message.messageId());
      String basis = "Consent/" + entry.path("consent").path("id").asText() + "/_history/" + entry.path("consent").path("version").asText();
      boolean explained = candidates(message, arrival).stream().anyMatch(epoch ->
          List.of(true, false).stream().filter(rules -> rules || !strict)
              .map(rules -> expectation(epoch, message, rules).decision().basis())
              .anyMatch(b -> b.isPresent() && b.get().equals(basis)));
      require(explained, "message " + message.messageId() + " was disclosed under " + basis
          + ", not the consent version the model says it rests on");
    }
    awaitingAudit.clear();
  }

  /** The exported audit log verifies against a fresh signed checkpoint (the privacy officer's check). */
  void verifyAuditLog(Path temp) throws IOException {
    TestGateway officer = gateway.as(SampleParty.PRIVACY_OFFICER);
    officer.forgetTokens();
    HttpResponse<String> checkpoint = officer.getAt("/audit/checkpoint?fresh=true");
    require(checkpoint.statusCode() == 200, "checkpoint answered " + checkpoint.statusCode() + " " + checkpoint.body());
    HttpResponse<String> export = officer.getAt("/audit/export");
    require(export.statusCode() == 200, "export answered " + export.statusCode());
    Path exportFile = temp.resolve("export-" + step + ".ndjson");
    Files.writeString(exportFile, export.body());
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, gateway.anonymous().getAt("/.well-known/jwks.json").body());
    HttpResponse<String> logKey = officer.getAt("/audit/key");
    require(logKey.statusCode() == 200, "the log's verifier key answered " + logKey.statusCode());
    Path logKeyFile = temp.resolve("audit-log.vkey");
    Files.writeString(logKeyFile, logKey.body());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = AuditCli.run(List.of("audit", "verify", "--export", exportFile.toString(), "--jwks", jwks.toString(),
        "--log-key", logKeyFile.toString()), print, print);
    require(code == 0, "the audit log does not verify: " + out.toString(StandardCharsets.UTF_8));
  }

  private void require(boolean holds, String what) {
    if (!holds) {
      throw new Violation(step, what);
    }
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }

  static String sha256Base64(byte[] bytes) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest(bytes));
  }

  private static byte[] digest(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves every period of a provision written relative to Instant.EPOCH to the given hour. */
  static Provision shifted(Provision p, Instant hour) {
    Duration by = Duration.between(Instant.EPOCH, hour);
    return new Provision(p.type(), p.period().map(w -> shift(w, by)), p.actors(), p.actions(), p.purposes(), p.classes(),
        p.labels(), p.codes(), p.dataPeriod().map(w -> shift(w, by)),
        p.nested().stream().map(n -> shifted(n, hour)).toList());
  }

  private static Window shift(Window w, Duration by) {
    return new Window(w.start().map(s -> s.plus(by)), w.end().map(e -> e.plus(by)));
  }

  // ---- generating ----

  /** Random operations; times are relative (whole hours), consents are named by the order they were recorded. */
  static List<Op> generate(long seed, int count) {
    RelativeCases cases = new RelativeCases(seed);
    List<Op> ops = new ArrayList<>();
    int recorded = 0;
    for (int i = 0; i < count; i++) {
      int roll = cases.between(1, 100);
      Op op;
      if (roll <= 14 || recorded == 0 && roll <= 30) {
        op = new Record(cases.oneOf(List.of(CPR_A, CPR_A, LOCAL_A, CPR_B)), cases.provision(0));
        recorded++;
      } else if (roll <= 20) {
        op = new Change(cases.between(0, recorded - 1), cases.provision(0));
      } else if (roll <= 25) {
        op = new Withdraw(cases.between(0, recorded - 1));
      } else if (roll <= 31) {
        op = new Advance(cases.between(1, 3));
      } else if (roll <= 33) {
        op = new Link();
      } else if (roll <= 65) {
        List<ItemSpec> items = new ArrayList<>();
        int n = cases.between(0, 2);
        for (int k = 0; k < n; k++) {
          items.add(new ItemSpec(cases.oneOf(List.of("Condition", "Observation")), cases.some(RandomCases.CODES, 0.7),
              cases.some(RandomCases.LABELS, 0.1), cases.chance(0.8) ? Optional.of(cases.between(-4, 0)) : Optional.empty()));
        }
        op = new Send(cases.between(0, 2), cases.oneOf(List.of("TREAT", "TREAT", "ETREAT", "HRESCH")),
            cases.oneOf(PATIENT_CHOICES), items, cases.chance(0.25));
      } else if (roll <= 80) {
        op = new SetRecipient(cases.between(0, 2), cases.oneOf(List.of(Mode.UP, Mode.UP, Mode.DOWN_503, Mode.REFUSING_400, Mode.FAILING_500)));
      } else if (roll <= 81) {
        op = new Restart();
      } else if (roll <= 83) {
        op = new NextCitizens();
      } else if (roll <= 86) {
        op = new Inbound(cases.between(0, 1));
      } else {
        op = new Deliver();
      }
      ops.add(op);
    }
    ops.add(new Deliver());
    return ops;
  }

  /** The random cases with whole hours relative to Instant.EPOCH (shifted to the current hour when applied). */
  static final class RelativeCases {
    private final RandomCases cases;

    RelativeCases(long seed) {
      this.cases = new RandomCases(seed, 3600, 4, false, false);
    }

    int between(int low, int high) {
      return cases.between(low, high);
    }

    boolean chance(double p) {
      return cases.chance(p);
    }

    <T> T oneOf(List<T> values) {
      return cases.oneOf(values);
    }

    Set<String> some(List<String> values, double p) {
      return cases.some(values, p);
    }

    /** A base provision that applies more often than the evaluator's cases, so that messages get through. */
    Provision provision(int depth) {
      Provision p = cases.provision(depth);
      p = new Provision(chance(0.9) ? Provision.Type.PERMIT : Provision.Type.DENY,
          chance(0.5) ? p.period() : Optional.empty(), chance(0.5) ? p.actors() : Set.of(), p.actions(),
          chance(0.5) ? p.purposes() : Set.of(), p.classes(), p.labels(), p.codes(), p.dataPeriod(), p.nested());
      return shifted(p, Instant.EPOCH.minus(Duration.between(Instant.EPOCH, RandomCases.T0)));
    }
  }

  static String describe(List<Op> ops) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      text.append(String.format("%4d %s%n", i, ops.get(i)));
    }
    return text.toString();
  }
}
