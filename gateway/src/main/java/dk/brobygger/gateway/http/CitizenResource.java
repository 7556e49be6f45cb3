package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifiers;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.gateway.citizen.CitizenLinks;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * A citizen known by several identifiers (a local outreach id first, a CPR number later):
 * {@code POST /fhir/Patient/$link-identifiers} records that the identifiers of the posted Patient
 * name one citizen, so consent applies whichever identifier a message uses; the link is audited.
 * {@code GET /fhir/Patient?identifier=system|value} shows every identifier linked to one, as a
 * Patient whose id other searches take as {@code patient=Patient/{id}}; {@code GET
 * /fhir/Patient/{id}} reads it again.
 */
public final class CitizenResource {

  /** The search parameters of Patient. */
  public static final List<SearchParam> SEARCH = List.of(
      SearchParam.of("identifier", SearchParamType.TOKEN, SearchParam.fhir("Patient-identifier"),
          "system|value: the citizen with every identifier linked to this one"),
      SearchParam.of("_id", SearchParamType.TOKEN, SearchParam.fhir("Resource-id"), "the Patient id"));

  private final CitizenLinks links;
  private final CitizenCriterion citizens;
  private final FhirCodec codec;
  private final BaseUrl baseUrl;

  public CitizenResource(CitizenLinks links, CitizenCriterion citizens, FhirCodec codec, BaseUrl baseUrl) {
    this.links = links;
    this.citizens = citizens;
    this.codec = codec;
    this.baseUrl = baseUrl;
  }

  public FhirReply link(RoutingContext ctx, Caller caller) {
    Patient patient = OperationInput.resource(ctx, codec, Patient.class, "patient", "Link");
    List<CitizenIdentifier> identifiers = new ArrayList<>();
    for (Identifier identifier : patient.getIdentifier()) {
      if (!identifier.hasSystem() || !identifier.hasValue()) {
        throw new Rejected(Rejected.Kind.INVALID, "Link rejected: every Patient.identifier needs a system and a value");
      }
      CitizenIdentifier citizen = new CitizenIdentifier(identifier.getSystem(), identifier.getValue());
      CitizenIdentifiers.validate(citizen);
      identifiers.add(citizen);
    }
    if (Set.copyOf(identifiers).size() < 2) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Link rejected: give at least two different identifiers of the citizen (e.g. the local outreach id and the CPR number)");
    }
    List<CitizenIdentifier> linked = links.link(identifiers, caller.actor());
    return FhirReply.ok(patient(citizens.patientId(identifiers.get(0)), linked));
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    CitizenIdentifier identifier = citizens.patient(id)
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Patient/" + id + " does not exist"));
    return FhirReply.ok(patient(id, links.expand(List.of(identifier))));
  }

  public FhirReply search(RoutingContext ctx, Caller caller) {
    SearchRequest request = SearchRequest.of("Patient", ctx.queryParams(), Handling.of(ctx), SEARCH);
    Optional<CitizenIdentifier> byIdentifier = request.single("identifier").map(token -> CitizenIdentifier.parseToken(token)
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Patient search rejected: identifier must be system|value")));
    Optional<String> byId = request.single("_id");
    if (byIdentifier.isEmpty() && byId.isEmpty()) {
      throw new Rejected(Rejected.Kind.INVALID, "Patient search rejected: identifier=system|value or _id is required");
    }
    Optional<String> id = byId.isPresent()
        ? byId.filter(given -> citizens.patient(given).filter(c -> byIdentifier.map(c::equals).orElse(true)).isPresent())
        : byIdentifier.map(citizens::patientId);
    List<SearchBundle.Match> matches = new ArrayList<>();
    if (id.isPresent() && request.offset() == 0 && SearchBundle.rowsToRead(request) > 0) {
      CitizenIdentifier identifier = citizens.patient(id.get()).orElseThrow();
      matches.add(new SearchBundle.Match(baseUrl.fhirBase(ctx) + "/Patient/" + id.get(),
          patient(id.get(), links.expand(List.of(identifier)))));
    }
    Optional<Long> total = request.total() ? Optional.of(id.isPresent() ? 1L : 0L) : Optional.empty();
    return FhirReply.ok(SearchBundle.page(request, baseUrl.fhirBase(ctx), total, matches));
  }

  private static Patient patient(String id, List<CitizenIdentifier> identifiers) {
    Patient patient = new Patient();
    patient.setId(id);
    for (CitizenIdentifier identifier : identifiers) {
      patient.addIdentifier().setSystem(identifier.system()).setValue(identifier.value());
    }
    return patient;
  }
}
