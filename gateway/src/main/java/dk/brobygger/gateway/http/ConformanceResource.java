package dk.brobygger.gateway.http;

import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.FhirFormats;
import dk.brobygger.fhir.message.MessageProfiles;
import dk.brobygger.fhir.message.OperationOutcomes;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.ingress.IncomingMessage;
import dk.brobygger.gateway.ingress.MessageIngress;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * The published profiles ({@link MessageProfiles}): {@code GET /fhir/StructureDefinition[/:id]} and
 * {@code GET /fhir/MessageDefinition[/:id]}, open to anyone like the CapabilityStatement (they hold
 * no personal data), searchable by {@code url}; and {@code POST /fhir/Bundle/$validate}, which runs
 * a message through the checks of {@code $process-message} up to, not including, the consent
 * decision, and stores, sends and audits nothing.
 */
public final class ConformanceResource {

  /** The one search parameter of the published profiles (the page parameters come with every search). */
  public static final List<SearchParam> SEARCH = List.of(SearchParam.of("url", SearchParamType.URI,
      SearchParam.fhir("conformance-url"), "the canonical URL of the definition"));

  private final MessageProfiles profiles;
  private final MessageIngress ingress;
  private final FhirCodec codec;
  private final BaseUrl baseUrl;

  public ConformanceResource(MessageProfiles profiles, MessageIngress ingress, FhirCodec codec, BaseUrl baseUrl) {
    this.profiles = profiles;
    this.ingress = ingress;
    this.codec = codec;
    this.baseUrl = baseUrl;
  }

  public FhirReply readStructureDefinition(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    return FhirReply.ok(profiles.structureDefinition(id).orElseThrow(() -> notFound("StructureDefinition", id)));
  }

  public FhirReply searchStructureDefinitions(RoutingContext ctx, Caller caller) {
    return search(ctx, "StructureDefinition", profiles.structureDefinitions());
  }

  public FhirReply readMessageDefinition(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    return FhirReply.ok(profiles.messageDefinition(id).orElseThrow(() -> notFound("MessageDefinition", id)));
  }

  public FhirReply searchMessageDefinitions(RoutingContext ctx, Caller caller) {
    return search(ctx, "MessageDefinition", profiles.messageDefinitions());
  }

  /**
   * {@code $validate} on Bundle: the body is the message Bundle itself or a Parameters whose
   * {@code resource} holds it. A message that breaks a rule gets 200 with the OperationOutcome
   * saying what (the FHIR specification's answer to a validation request); a body that cannot be
   * read at all gets the same 4xx as {@code $process-message} would give it.
   */
  public FhirReply validate(RoutingContext ctx, Caller caller) {
    Optional<String> contentType = Optional.ofNullable(ctx.request().getHeader("Content-Type"));
    byte[] body = RequestBodies.bytes(ctx);
    byte[] message = contentType.isPresent() && body.length > 0 ? unwrap(body, FhirFormats.ofContentType(contentType.get())) : body;
    try {
      ingress.check(new IncomingMessage(caller, contentType, message));
    } catch (Rejected rejected) {
      if (rejected.kind() != Rejected.Kind.INVALID) {
        throw rejected;
      }
      return FhirReply.ok(OperationOutcomes.rejected(rejected));
    }
    return FhirReply.ok(OperationOutcomes.information("The message is valid: FHIR R4, the profile of its event, the"
        + " gateway's message rules and its addressing. Consent was not decided; nothing was stored or sent."));
  }

  /** The Bundle of a Parameters body ({@code resource}), in the format it came in; else the body as it is. */
  private byte[] unwrap(byte[] body, FhirFormat format) {
    Resource resource;
    try {
      resource = codec.parse(body, format, Resource.class);
    } catch (Rejected unreadable) {
      return body; // the pipeline reports it as it would for $process-message
    }
    if (!(resource instanceof Parameters parameters)) {
      return body;
    }
    List<ParametersParameterComponent> given = parameters.getParameter();
    for (ParametersParameterComponent parameter : given) {
      if (!parameter.getName().equals("resource")) {
        throw new Rejected(Rejected.Kind.INVALID, "Bundle $validate rejected: parameter '" + parameter.getName()
            + "' is not supported (supported: resource); the gateway picks the profile by the message's event");
      }
    }
    if (given.size() != 1 || !(given.get(0).getResource() instanceof Bundle bundle)) {
      throw new Rejected(Rejected.Kind.INVALID, "Bundle $validate rejected: Parameters must have exactly one"
          + " parameter 'resource' holding the message Bundle");
    }
    return codec.encode(bundle, format);
  }

  private FhirReply search(RoutingContext ctx, String type, List<? extends MetadataResource> all) {
    SearchRequest request = SearchRequest.of(type, ctx.queryParams(), Handling.of(ctx), SEARCH);
    Optional<String> url = request.single("url");
    String fhirBase = baseUrl.fhirBase(ctx);
    return FhirReply.ok(SearchBundle.page(request, fhirBase, all.stream()
        .filter(r -> url.isEmpty() || url.get().equals(r.getUrl()))
        .map(r -> new SearchBundle.Match(fhirBase + "/" + type + "/" + r.getIdElement().getIdPart(), r))
        .toList()));
  }

  private static Rejected notFound(String type, String id) {
    return new Rejected(Rejected.Kind.NOT_FOUND, type + "/" + id + " does not exist");
  }
}
