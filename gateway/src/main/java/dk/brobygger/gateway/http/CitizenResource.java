package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifiers;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.gateway.citizen.CitizenLinks;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * A citizen known by several identifiers (a local outreach id first, a CPR number later):
 * {@code POST /fhir/Patient/$link-identifiers} records that the identifiers of the posted Patient
 * name one citizen, so consent applies whichever identifier a message uses; the link is audited.
 * {@code GET /fhir/Patient?identifier=system|value} shows every identifier linked to one.
 */
public final class CitizenResource {

  private final CitizenLinks links;
  private final FhirCodec codec;

  public CitizenResource(CitizenLinks links, FhirCodec codec) {
    this.links = links;
    this.codec = codec;
  }

  public FhirReply link(RoutingContext ctx, Caller caller) {
    Patient patient = RequestBodies.resource(ctx, codec, Patient.class, "Link");
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
    return FhirReply.ok(patient(links.link(identifiers, caller.actor())));
  }

  public FhirReply search(RoutingContext ctx, Caller caller) {
    for (String name : ctx.queryParams().names()) {
      if (!Set.of("identifier", "_format").contains(name)) {
        throw new Rejected(Rejected.Kind.INVALID,
            "Patient search rejected: parameter '" + name + "' is not supported (supported: identifier)");
      }
    }
    CitizenIdentifier identifier = Optional.ofNullable(ctx.queryParams().get("identifier"))
        .flatMap(CitizenIdentifier::parseToken)
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
            "Patient search rejected: identifier=system|value is required"));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    List<CitizenIdentifier> linked = links.expand(List.of(identifier));
    bundle.setTotal(1);
    bundle.addEntry().setResource(patient(linked)).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    return FhirReply.ok(bundle);
  }

  private static Patient patient(List<CitizenIdentifier> identifiers) {
    Patient patient = new Patient();
    for (CitizenIdentifier identifier : identifiers) {
      patient.addIdentifier().setSystem(identifier.system()).setValue(identifier.value());
    }
    return patient;
  }
}
