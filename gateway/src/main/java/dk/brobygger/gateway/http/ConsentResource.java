package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.ConsentProfile;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.consent.ConsentQuery;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;

/**
 * The consent registry: create, read, version-read, update (a status change to inactive is a
 * withdrawal), history and search. Every version is kept; nothing is ever deleted. A consent
 * belongs to the team that recorded it: to every other team it does not exist (404, and absent
 * from searches); the privacy officer sees all.
 */
public final class ConsentResource {

  /**
   * On a withdrawal's answer: each disclosure that was in flight when the withdrawal committed, and
   * how it ended before the answer was sent (delivered, retry, failed, cancelled, or unconfirmed when
   * its gateway instance gave up the HTTP call at its deadline without recording an end).
   */
  public static final String IN_FLIGHT_HEADER = "X-Brobygger-Settled-In-Flight";

  private static final String WITHDRAWN = "inactive";
  /** The search parameters of Consent, as FHIR R4 defines them. */
  public static final List<SearchParam> SEARCH = List.of(
      SearchParam.patient("patient", SearchParam.fhir("clinical-patient"),
          "the citizen: Patient/{id} as GET /fhir/Patient serves it, or patient:identifier=system|value (also the chain "
              + "patient.identifier); either matches the citizen's consents under every linked identifier"),
      SearchParam.of("status", SearchParamType.TOKEN, SearchParam.fhir("Consent-status"),
          "active, inactive, draft, proposed, rejected, entered-in-error; comma-separated for any of them"),
      SearchParam.of("identifier", SearchParamType.TOKEN, SearchParam.fhir("Consent-identifier"),
          "Consent.identifier as system|value or value; also the condition of a conditional create (If-None-Exist)"),
      SearchParam.of("_id", SearchParamType.TOKEN, SearchParam.fhir("Resource-id"), "the consent id"));

  private final ConsentStore store;
  private final FhirCodec codec;
  private final BaseUrl baseUrl;
  private final AuditLog audit;
  private final Clock clock;
  private final InFlightDisclosures inFlight;
  private final CitizenCriterion citizens;

  public ConsentResource(ConsentStore store, FhirCodec codec, BaseUrl baseUrl, AuditLog audit, Clock clock,
      InFlightDisclosures inFlight, CitizenCriterion citizens) {
    this.citizens = citizens;
    this.inFlight = inFlight;
    this.store = store;
    this.codec = codec;
    this.baseUrl = baseUrl;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Every read of consents is audited (the privacy officer's included), so the citizen can see
   * who looked at what they said, not only who received their data.
   */
  private void recordRead(Caller caller, Optional<CitizenIdentifier> citizen, Optional<ConsentVersion> consent, String what) {
    audit.append(new AuditEvent.ConsentRead(clock.instant(), caller.actor(), citizen, consent, List.of(what)));
  }

  private StoredConsent read(Caller caller, StoredConsent consent, String what) {
    recordRead(caller, Optional.of(consent.citizen()), Optional.of(consent.consentVersion()), what);
    return consent;
  }

  public FhirReply create(RoutingContext ctx, Caller caller) {
    Consent consent = RequestBodies.resource(ctx, codec, Consent.class, "Consent");
    if (consent.hasIdElement() && consent.getIdElement().hasIdPart()) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Consent rejected: a new Consent must not carry an id; the registry assigns it (use PUT to change one)");
    }
    ConsentProfile.validateForRecording(consent);
    Optional<String> condition = Optional.ofNullable(ctx.request().getHeader("If-None-Exist")).filter(h -> !h.isBlank());
    if (condition.isPresent()) {
      // conditional create: the condition is a Consent search among the consents the caller may see
      // FHIR sends the search parameters; HAPI's client sends the whole search URL ([base]/Consent?...)
      String search = condition.get().contains("?") ? condition.get().substring(condition.get().indexOf('?') + 1)
          : condition.get();
      ConsentQuery query = query(SearchRequest.of("Consent", search, Handling.STRICT, SEARCH));
      ConsentStore.ConditionalCreate outcome = store.createUnlessMatched(consent, query, caller.visibility(), caller.actor());
      if (outcome.created()) {
        return stored(201, outcome.consent());
      }
      StoredConsent match = outcome.consent();
      return stored(200, read(caller, match, "read Consent/" + match.id() + " (If-None-Exist)"));
    }
    return stored(201, store.create(consent, caller.actor()));
  }

  public FhirReply update(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    Consent consent = RequestBodies.resource(ctx, codec, Consent.class, "Consent");
    if (!consent.hasIdElement() || !id.equals(consent.getIdElement().getIdPart())) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Consent rejected: the resource id must equal the id in the URL (" + id + ")");
    }
    ConsentProfile.validateForRecording(consent);
    StoredConsent updated = store.update(id, consent, RequestBodies.ifMatch(ctx), caller.visibility(), caller.actor());
    if (WITHDRAWN.equals(updated.status())) {
      // the answer is a fence: it goes out only once nothing sent under the old consent is in flight
      List<InFlightDisclosures.InFlight> settled =
          inFlight.awaitWithdrawal(updated.citizen(), updated.consentVersion(), updated.recordedAt(), caller.actor());
      if (!settled.isEmpty()) {
        ctx.response().putHeader(IN_FLIGHT_HEADER,
            settled.stream().map(InFlightDisclosures.InFlight::describe).collect(Collectors.joining(", ")));
      }
    }
    return stored(200, updated);
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    return stored(200, read(caller, store.current(id, caller.visibility()).orElseThrow(() -> notFound(id)), "read Consent/" + id));
  }

  public FhirReply versionRead(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    long version = RequestBodies.version(ctx.pathParam("vid"));
    return stored(200, read(caller, store.version(id, version, caller.visibility()).orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND,
        "Consent/" + id + "/_history/" + version + " does not exist")), "read Consent/" + id + "/_history/" + version));
  }

  public FhirReply history(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    List<StoredConsent> versions = store.history(id, caller.visibility());
    if (versions.isEmpty()) {
      throw notFound(id);
    }
    read(caller, versions.get(0), "read the history of Consent/" + id);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTotal(versions.size());
    for (StoredConsent version : versions) {
      Bundle.BundleEntryComponent entry = bundle.addEntry()
          .setFullUrl(baseUrl.fhirBase(ctx) + "/Consent/" + version.id())
          .setResource(resource(version));
      entry.getRequest()
          .setMethod(version.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
          .setUrl(version.version() == 1 ? "Consent" : "Consent/" + version.id());
      entry.getResponse().setStatus(version.version() == 1 ? "201 Created" : "200 OK")
          .setEtag("W/\"" + version.version() + "\"");
    }
    return FhirReply.ok(bundle);
  }

  public FhirReply search(RoutingContext ctx, Caller caller) {
    SearchRequest request = SearchRequest.of("Consent", ctx.queryParams(), Handling.of(ctx), SEARCH);
    ConsentQuery query = query(request);
    List<StoredConsent> rows = store.search(query, caller.visibility(), request.offset(), SearchBundle.rowsToRead(request));
    Optional<Long> total = request.total() ? Optional.of(store.count(query, caller.visibility())) : Optional.empty();
    int shown = Math.min(rows.size(), request.count());
    recordRead(caller, query.citizen().flatMap(c -> c.stream().findFirst()), Optional.empty(),
        "searched consents (" + shown + " returned" + total.map(n -> " of " + n).orElse("") + ")");
    String fhirBase = baseUrl.fhirBase(ctx);
    return FhirReply.ok(SearchBundle.page(request, fhirBase, total, rows.stream()
        .map(consent -> new SearchBundle.Match(fhirBase + "/Consent/" + consent.id(), resource(consent))).toList()));
  }

  /** The store query of a Consent search. */
  private ConsentQuery query(SearchRequest request) {
    Optional<String> identifier = request.single("identifier");
    return new ConsentQuery(
        citizens.of(request, "patient"),
        request.anyOf("status"),
        request.single("_id"),
        identifier.filter(token -> token.contains("|")).map(token -> token.substring(0, token.indexOf('|')))
            .filter(system -> !system.isEmpty()),
        identifier.map(token -> token.substring(token.indexOf('|') + 1)).filter(value -> !value.isEmpty()));
  }

  private FhirReply stored(int status, StoredConsent consent) {
    return new FhirReply(status, resource(consent),
        Optional.of("Consent/" + consent.id() + "/_history/" + consent.version()),
        Optional.of(String.valueOf(consent.version())));
  }

  private Consent resource(StoredConsent consent) {
    return codec.parse(consent.json(), FhirFormat.JSON, Consent.class);
  }

  private static Rejected notFound(String id) {
    return new Rejected(Rejected.Kind.NOT_FOUND, "Consent/" + id + " does not exist");
  }
}
