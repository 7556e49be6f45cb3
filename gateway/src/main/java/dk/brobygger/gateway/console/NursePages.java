package dk.brobygger.gateway.console;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.ConsentProfile;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.inbox.InboxItem;
import dk.brobygger.gateway.ingress.IncomingMessage;
import dk.brobygger.gateway.ingress.MessageIngress;
import dk.brobygger.gateway.ingress.Received;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import io.vertx.ext.web.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;

/**
 * The street nurse's pages: find a citizen, record consent (preview, receipt), withdraw it, send a
 * referral or an appointment request (only to recipients the consent permits; preview of what is
 * kept back), follow each message live (with the booked time once the recipient answers), the team's
 * inbox. Every change goes through the gateway's own stores and ingress
 * with the nurse as the actor; every read of a citizen's data is audited.
 */
public final class NursePages {

  /** What the pages use of the gateway: the same stores and ingress as the FHIR API. */
  public record Services(ConsentStore consents, CitizenLinks links, DisclosurePolicy policy, Directory directory,
      MessageIngress ingress, Runnable wakeDelivery, dk.brobygger.gateway.messages.TaskStore tasks, Inbox inbox,
      InFlightDisclosures inFlight, FhirCodec codec, dk.brobygger.gateway.db.Database database) {}

  private static final Map<String, String> IDENTIFIER_KINDS = orderedKinds();
  private static final String JSON = "application/fhir+json";

  private final Console console;
  private final Services s;
  private final Clock clock;
  private final CitizenMessages messages;
  /** Drafts are read without base validation: the ingress validates the real message in full. */
  private final MessageReader draftReader;

  public NursePages(Console console, Services services, Clock clock) {
    this.console = Objects.requireNonNull(console, "console");
    this.s = Objects.requireNonNull(services, "services");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.messages = new CitizenMessages(services.database(), services.tasks(), services.codec());
    this.draftReader = new MessageReader(services.codec(), MessageReader.BaseValidation.DISABLED);
  }

  void install(Router router) {
    var nurse = ConsoleRoutes.NURSE;
    router.get("/console/borger").handler(console.page(nurse, this::citizen));
    router.post("/console/borger/lokalt-id").handler(console.page(nurse, this::newLocalId));
    router.post("/console/borger/tilknyt").handler(console.page(nurse, this::link));
    router.get("/console/borger/beskeder").handler(console.page(nurse, this::messageStatus));
    router.get("/console/samtykke/ny").handler(console.page(nurse, this::consentForm));
    router.post("/console/samtykke/gennemse").handler(console.page(nurse, this::consentPreview));
    router.post("/console/samtykke").handler(console.page(nurse, this::consentSave));
    router.get("/console/samtykke/kvittering").handler(console.page(nurse, this::consentReceipt));
    router.get("/console/samtykke/tilbagekald").handler(console.page(nurse, this::withdrawConfirm));
    router.post("/console/samtykke/tilbagekald").handler(console.page(nurse, this::withdraw));
    router.get("/console/henvisning/ny").handler(console.page(nurse, r -> referralForm(r, false)));
    router.get("/console/tid/ny").handler(console.page(nurse, r -> referralForm(r, true)));
    router.post("/console/henvisning/gennemse").handler(console.page(nurse, this::referralPreview));
    router.post("/console/henvisning").handler(console.page(nurse, this::referralSend));
    router.get("/console/indbakke").handler(console.page(nurse, this::inbox));
    router.post("/console/indbakke/:item/behandlet").handler(console.page(nurse, this::markHandled));
  }

  // --- finding a citizen

  private ConsoleReply citizen(ConsoleRequest r) {
    Optional<CitizenIdentifier> asked = identifier(r);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("frame", r.frame("Find borger"));
    model.put("kinds", IDENTIFIER_KINDS);
    model.put("citizen", asked.map(id -> overview(r, id)).orElse(null));
    return ConsoleReply.ok(console.templates().render("citizen.jte", model));
  }

  private CitizenOverview overview(ConsoleRequest r, CitizenIdentifier citizen) {
    List<CitizenIdentifier> linked = s.links().expand(List.of(citizen));
    console.audit().read(r, Optional.of(citizen), "opened the citizen's page (consents and messages)");
    Visibility visibility = r.caller().visibility();
    Map<String, StoredConsent> consents = new LinkedHashMap<>();
    for (CitizenIdentifier id : linked) {
      s.consents().search(Optional.of(id), Optional.empty(), visibility).forEach(c -> consents.putIfAbsent(c.id(), c));
    }
    List<CitizenOverview.ConsentLine> lines = consents.values().stream()
        .map(c -> new CitizenOverview.ConsentLine(c.id(), c.version(), c.status(), DanishDates.time(c.recordedAt()),
            ConsentDraft.fromFhir(ConsentStore.parse(c), c.citizen(), s.directory()::byId).sentences()))
        .toList();
    return new CitizenOverview(citizen, citizen.token(), linked, kindOf(citizen), lines);
  }

  private ConsoleReply newLocalId(ConsoleRequest r) {
    // a local outreach id for a citizen with neither CPR nor replacement CPR; recorded once a consent names it
    String id = "SVB-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    return new ConsoleReply.Redirect(citizenPage(new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, id)));
  }

  private ConsoleReply link(ConsoleRequest r) {
    CitizenIdentifier citizen = citizenOf(r);
    CitizenIdentifier other = identifier(r.field("type").orElse(""), r.required("nummer", "Nummer"));
    s.links().link(List.of(citizen, other), r.actor());
    return new ConsoleReply.Redirect(citizenPage(citizen));
  }

  private ConsoleReply messageStatus(ConsoleRequest r) {
    CitizenIdentifier citizen = citizenOf(r);
    List<CitizenIdentifier> linked = s.links().expand(List.of(citizen));
    console.audit().read(r, Optional.of(citizen), "followed the status of the citizen's messages");
    List<CitizenMessages.Sent> sent = messages.sentBy(r.person().party(), linked);
    return ConsoleReply.ok(console.templates().render("messages.jte", Map.of("sent", sent, "directory", s.directory())));
  }

  // --- consent

  private List<Recipient> consentRecipients() {
    return s.directory().all().stream()
        .filter(rcp -> !DisclosurePolicy.isInbound(rcp.kind()) && !"privacy-officer".equals(rcp.kind()))
        .toList();
  }

  private ConsoleReply consentForm(ConsoleRequest r) {
    CitizenIdentifier citizen = citizenOf(r);
    return ConsoleReply.ok(console.templates().render("consent-form.jte", Map.of(
        "frame", r.frame("Registrér samtykke"), "citizen", citizen.token(), "recipients", consentRecipients(),
        "purposes", ConsentDraft.PURPOSES, "sensitive", ConsentDraft.SENSITIVE,
        "until", DanishDates.today(clock.instant()).plusYears(1).toString())));
  }

  private ConsentDraft consentDraft(ConsoleRequest r) {
    return ConsentDraft.fromForm(r, citizenOf(r), consentRecipients(), DanishDates.today(clock.instant()));
  }

  private ConsoleReply consentPreview(ConsoleRequest r) {
    ConsentDraft draft = consentDraft(r);
    return ConsoleReply.ok(console.templates().render("consent-preview.jte", Map.of(
        "frame", r.frame("Læs samtykket op"), "draft", draft, "citizen", draft.citizen().token())));
  }

  private ConsoleReply consentSave(ConsoleRequest r) {
    ConsentDraft draft = consentDraft(r);
    String team = s.directory().byId(r.person().party()).map(Recipient::name).orElse(r.person().party());
    Consent consent = draft.toFhir(team, clock.instant());
    ConsentProfile.validateForRecording(consent);
    StoredConsent stored = s.consents().create(consent, r.actor());
    return new ConsoleReply.Redirect("/console/samtykke/kvittering?id=" + stored.id());
  }

  private StoredConsent visibleConsent(ConsoleRequest r) {
    String id = r.required("id", "Samtykke");
    return s.consents().current(id, r.caller().visibility())
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Samtykket findes ikke"));
  }

  private ConsoleReply consentReceipt(ConsoleRequest r) {
    StoredConsent stored = visibleConsent(r);
    console.audit().read(r, Optional.of(stored.citizen()), "read the receipt of Consent/" + stored.id());
    ConsentDraft draft = ConsentDraft.fromFhir(ConsentStore.parse(stored), stored.citizen(), s.directory()::byId);
    String team = s.directory().byId(r.person().party()).map(Recipient::name).orElse(r.person().party());
    return ConsoleReply.ok(console.templates().render("consent-receipt.jte", Map.of(
        "frame", r.frame("Kvittering for samtykke"), "draft", draft, "stored", stored, "team", team,
        "recordedAt", DanishDates.time(stored.recordedAt()), "citizen", stored.citizen().token())));
  }

  private ConsoleReply withdrawConfirm(ConsoleRequest r) {
    StoredConsent stored = visibleConsent(r);
    console.audit().read(r, Optional.of(stored.citizen()), "opened the withdrawal of Consent/" + stored.id());
    List<CitizenMessages.Sent> waiting = waiting(r, stored.citizen());
    return ConsoleReply.ok(console.templates().render("withdraw.jte", Map.of(
        "frame", r.frame("Tilbagekald samtykke"), "stored", stored, "waiting", waiting, "directory", s.directory(),
        "done", false, "citizen", stored.citizen().token())));
  }

  private ConsoleReply withdraw(ConsoleRequest r) {
    StoredConsent stored = visibleConsent(r);
    List<CitizenMessages.Sent> waitingBefore = waiting(r, stored.citizen());
    Consent withdrawn = ConsentStore.parse(stored);
    withdrawn.setStatus(Consent.ConsentState.INACTIVE);
    ConsentProfile.validateForRecording(withdrawn);
    StoredConsent updated = s.consents().update(stored.id(), withdrawn, Optional.of(stored.version()),
        r.caller().visibility(), r.actor());
    // the same fence as the API: answer only once nothing sent under the old consent is in flight
    s.inFlight().awaitWithdrawal(updated.citizen(), updated.consentVersion(), updated.recordedAt(), r.actor());
    s.wakeDelivery().run(); // waiting messages meet the withdrawal at their next re-check now, not after their back-off
    return ConsoleReply.ok(console.templates().render("withdraw.jte", Map.of(
        "frame", r.frame("Samtykket er tilbagekaldt"), "stored", updated, "waiting", waitingBefore, "directory", s.directory(),
        "done", true, "citizen", updated.citizen().token())));
  }

  /** Messages about the citizen with a delivery not yet settled. */
  private List<CitizenMessages.Sent> waiting(ConsoleRequest r, CitizenIdentifier citizen) {
    return messages.sentBy(r.person().party(), s.links().expand(List.of(citizen))).stream()
        .filter(m -> m.deliveries().stream().anyMatch(d -> !d.task().state().isFinal()))
        .toList();
  }

  // --- referral

  /** Each recipient, and whether the citizen's consent permits this referral to it (and why not). */
  public record Choice(Recipient recipient, boolean permitted, String why, List<String> keptBack) {}

  private List<Choice> choices(ConsoleRequest r, ReferralDraft draft) {
    Recipient team = team(r);
    List<Choice> choices = new ArrayList<>();
    for (Recipient recipient : consentRecipients()) {
      ReceivedMessage message = draftReader.read(
          s.codec().encode(draft.toFhir(team, recipient, clock.instant()), FhirFormat.JSON), FhirFormat.JSON);
      Decision decision = decide(recipient, message);
      List<String> keptBack = message.items().stream()
          .filter(item -> decision.excludedReferences().contains(item.reference()))
          .map(item -> describe(message, item.reference(), item.resourceType()))
          .toList();
      choices.add(new Choice(recipient, decision.permits(),
          decision.permits() ? "" : whyNot(decision), keptBack));
    }
    return choices;
  }

  /** The same decision the ingress would take (a refusal to decide is a deny, naming why). */
  private Decision decide(Recipient recipient, ReceivedMessage message) {
    try {
      return s.policy().decide(message.citizen(), recipient, message.purpose(), message);
    } catch (Rejected e) {
      return Decision.deny(Optional.empty(), List.of(e.diagnostics()));
    }
  }

  private static String whyNot(Decision decision) {
    return decision.basis().isEmpty()
        ? "Borgeren har ikke givet samtykke til denne modtager"
        : "Borgerens samtykke tillader det ikke: " + String.join("; ", decision.reasons());
  }

  private static String describe(ReceivedMessage message, String reference, String type) {
    return message.bundle().getEntry().stream()
        .filter(e -> reference.equals(e.getFullUrl()) || reference.endsWith("/" + e.getResource().getIdElement().getIdPart()))
        .findFirst()
        .map(e -> {
          if (e.getResource() instanceof org.hl7.fhir.r4.model.Condition condition) {
            return "Diagnose " + condition.getCode().getCodingFirstRep().getCode() + " " + condition.getCode().getText();
          }
          if (e.getResource() instanceof org.hl7.fhir.r4.model.Observation observation) {
            return "Måling: " + observation.getCode().getText();
          }
          return type;
        })
        .orElse(type);
  }

  private Recipient team(ConsoleRequest r) {
    return s.directory().byId(r.person().party())
        .orElseThrow(() -> new Rejected(Rejected.Kind.FORBIDDEN, "Dit team findes ikke i adressebogen"));
  }

  /** The form for a referral, or with {@code appointment} for an appointment request (wished-for days added). */
  private ConsoleReply referralForm(ConsoleRequest r, boolean appointment) {
    CitizenIdentifier citizen = citizenOf(r);
    console.audit().read(r, Optional.of(citizen), "checked which recipients the citizen's consent permits");
    // by default the coming two weeks, from tomorrow: the nurse narrows it with the citizen
    LocalDate tomorrow = DanishDates.today(clock.instant()).plusDays(1);
    Optional<ReferralDraft.AppointmentWish> wish = appointment
        ? Optional.of(new ReferralDraft.AppointmentWish(tomorrow, tomorrow.plusDays(13), Optional.empty()))
        : Optional.empty();
    List<Choice> choices = choices(r, ReferralDraft.blank(citizen, wish));
    return ConsoleReply.ok(console.templates().render("referral-form.jte", Map.of(
        "frame", r.frame(appointment ? "Anmod om tid" : "Send henvisning"), "citizen", citizen.token(),
        "choices", choices, "appointment", wish)));
  }

  private Recipient chosenRecipient(ConsoleRequest r, List<Choice> choices) {
    String id = r.required("modtager", "Modtager");
    Choice choice = choices.stream().filter(c -> c.recipient().id().equals(id)).findFirst()
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Vælg en modtager fra listen"));
    if (!choice.permitted()) {
      throw new Rejected(Rejected.Kind.CONSENT_DENIED, choice.recipient().name() + ": " + choice.why());
    }
    return choice.recipient();
  }

  private ConsoleReply referralPreview(ConsoleRequest r) {
    CitizenIdentifier citizen = citizenOf(r);
    ReferralDraft draft = ReferralDraft.fromForm(r, citizen);
    List<Choice> choices = choices(r, draft);
    Recipient recipient = chosenRecipient(r, choices);
    Choice chosen = choices.stream().filter(c -> c.recipient().equals(recipient)).findFirst().orElseThrow();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("frame", r.frame(draft.isAppointmentRequest() ? "Gennemse anmodning om tid" : "Gennemse henvisning"));
    model.put("citizen", citizen.token());
    model.put("draft", draft);
    model.put("choice", chosen);
    model.put("fields", formFields(r));
    return ConsoleReply.ok(console.templates().render("referral-preview.jte", model));
  }

  private ConsoleReply referralSend(ConsoleRequest r) {
    CitizenIdentifier citizen = citizenOf(r);
    ReferralDraft draft = ReferralDraft.fromForm(r, citizen);
    Recipient recipient = chosenRecipient(r, choices(r, draft));
    Bundle message = draft.toFhir(team(r), recipient, clock.instant());
    // the same ingress as POST /fhir/$process-message (referral or appointment-request): validation,
    // sender check, consent, audit, outbox
    Received received = s.ingress().process(new IncomingMessage(r.caller(), Optional.of(JSON),
        s.codec().encode(message, FhirFormat.JSON)));
    if (received.route() == Received.Route.OUTBOUND && !received.duplicate()) {
      s.wakeDelivery().run();
    }
    return new ConsoleReply.Redirect(citizenPage(citizen));
  }

  private static Map<String, String> formFields(ConsoleRequest r) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String name : List.of("modtager", "aarsag", "note", "diagnose", "diagnose-tekst", "systolisk", "diastolisk",
        "blodsukker", "fev1", "slags", "fra", "til", "tid-note")) {
      r.field(name).ifPresent(value -> fields.put(name, value));
    }
    return fields;
  }

  // --- the team's inbox

  private ConsoleReply inbox(ConsoleRequest r) {
    List<InboxItem> items = s.inbox().list(r.person().party(), Optional.empty());
    items.forEach(item -> item.citizen().stream().findFirst().ifPresent(citizen ->
        console.audit().read(r, Optional.of(citizen), "listed the team's inbox item " + item.id())));
    return ConsoleReply.ok(console.templates().render("inbox.jte", Map.of(
        "frame", r.frame("Teamets indbakke"), "items", items, "directory", s.directory())));
  }

  private ConsoleReply markHandled(ConsoleRequest r) {
    String id = r.pathParam("item");
    InboxItem item = s.inbox().find(id, Visibility.of(r.person().party()))
        .filter(i -> i.ownerId().equals(r.person().party()))
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Beskeden findes ikke i teamets indbakke"));
    s.inbox().markHandled(item.id(), Optional.empty(), r.actor());
    return new ConsoleReply.Redirect("/console/indbakke");
  }

  // --- identifiers

  private static Map<String, String> orderedKinds() {
    Map<String, String> kinds = new LinkedHashMap<>();
    kinds.put("cpr", "CPR-nummer");
    kinds.put("erstatning", "Erstatnings-CPR");
    kinds.put("lokal", "Lokalt id (gadesygeplejen)");
    return java.util.Collections.unmodifiableMap(kinds);
  }

  private static String kindOf(CitizenIdentifier id) {
    return switch (id.system()) {
      case CitizenIdentifier.CPR -> "CPR-nummer";
      case CitizenIdentifier.REPLACEMENT_CPR -> "Erstatnings-CPR";
      default -> "Lokalt id";
    };
  }

  /** The citizen a page is about: ?borger=system|value, or ?type=cpr&nummer=... from the search form. */
  private static Optional<CitizenIdentifier> identifier(ConsoleRequest r) {
    Optional<String> token = r.field("borger");
    if (token.isPresent()) {
      return Optional.of(CitizenIdentifier.parseToken(token.get())
          .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Ukendt borger-id")));
    }
    return r.field("nummer").map(number -> identifier(r.field("type").orElse("cpr"), number));
  }

  private static CitizenIdentifier citizenOf(ConsoleRequest r) {
    return identifier(r).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Vælg først en borger"));
  }

  static CitizenIdentifier identifier(String kind, String number) {
    String value = number.replace(" ", "");
    return switch (kind) {
      case "cpr" -> {
        if (!value.matches("[0-9]{6}-?[0-9]{4}")) {
          throw new Rejected(Rejected.Kind.INVALID, "Et CPR-nummer har 10 cifre, fx 010180-1234");
        }
        yield new CitizenIdentifier(CitizenIdentifier.CPR, value.replace("-", ""));
      }
      case "erstatning" -> {
        if (!value.matches("[0-9A-Za-z]{10}")) {
          throw new Rejected(Rejected.Kind.INVALID, "Et erstatnings-CPR har 10 tegn uden bindestreg");
        }
        yield new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, value.toUpperCase(java.util.Locale.ROOT));
      }
      case "lokal" -> new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, value);
      default -> throw new Rejected(Rejected.Kind.INVALID, "Vælg hvilken slags nummer det er");
    };
  }

  static String citizenPage(CitizenIdentifier citizen) {
    return "/console/borger?borger=" + URLEncoder.encode(citizen.token(), StandardCharsets.UTF_8);
  }
}
