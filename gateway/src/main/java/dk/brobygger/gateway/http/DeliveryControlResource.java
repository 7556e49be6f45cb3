package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.outbox.DeliveryRerun;
import dk.brobygger.gateway.outbox.RecipientPauses;
import io.vertx.ext.web.RoutingContext;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;

/**
 * The operator's controls over delivery: re-run a failed or cancelled delivery
 * ({@code POST Task/{id}/$retry}), and pause and resume delivery to one recipient
 * ({@code POST Endpoint/{id}/$pause}, {@code $resume}; the Endpoint id is the recipient's directory
 * id, its status {@code suspended} while paused). Each is audited with who asked.
 */
public final class DeliveryControlResource {

  /** Endpoint extension: who paused delivery, when, and why. */
  public static final String PAUSE_EXTENSION = "https://brobygger.dk/fhir/StructureDefinition/delivery-pause";
  private static final String CONNECTION_TYPES = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";

  private final DeliveryRerun rerun;
  private final RecipientPauses pauses;
  private final TaskResource tasks;
  private final Directory directory;
  private final FhirCodec codec;
  private final Runnable wakeDelivery;

  /** The Endpoint search's one parameter (the page parameters come with every search). */
  public static final List<SearchParam> SEARCH = List.of(SearchParam.of("status", SearchParamType.TOKEN,
      SearchParam.fhir("Endpoint-status"), "active, or suspended while delivery to the recipient is paused"));

  private final BaseUrl baseUrl;

  public DeliveryControlResource(DeliveryRerun rerun, RecipientPauses pauses, TaskResource tasks, Directory directory,
      FhirCodec codec, BaseUrl baseUrl, Runnable wakeDelivery) {
    this.baseUrl = baseUrl;
    this.rerun = rerun;
    this.pauses = pauses;
    this.tasks = tasks;
    this.directory = directory;
    this.codec = codec;
    this.wakeDelivery = wakeDelivery;
  }

  /** {@code POST /fhir/Task/{id}/$retry}: 202 with the Task, requested again; the sender of the message only. */
  public FhirReply retry(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    rerun.rerun(id, caller.id(), caller.actor());
    wakeDelivery.run();
    Task task = tasks.find(id);
    return new FhirReply(202, task, Optional.of("Task/" + id), Optional.of(task.getMeta().getVersionId()));
  }

  /** {@code POST /fhir/Endpoint/{id}/$pause}, optionally with a Parameters body naming a {@code reason}. */
  public FhirReply pause(RoutingContext ctx, Caller caller) {
    Recipient recipient = recipient(ctx.pathParam("id"));
    pauses.pause(recipient.id(), caller.actor(), reason(ctx));
    return FhirReply.ok(endpoint(recipient, pauses.find(recipient.id())));
  }

  /** {@code POST /fhir/Endpoint/{id}/$resume}: waiting deliveries go out at once. */
  public FhirReply resume(RoutingContext ctx, Caller caller) {
    Recipient recipient = recipient(ctx.pathParam("id"));
    if (pauses.resume(recipient.id(), caller.actor(), reason(ctx))) {
      wakeDelivery.run();
    }
    return FhirReply.ok(endpoint(recipient, Optional.empty()));
  }

  /** {@code GET /fhir/Endpoint/{id}}. */
  public FhirReply read(RoutingContext ctx, Caller caller) {
    Recipient recipient = recipient(ctx.pathParam("id"));
    return FhirReply.ok(endpoint(recipient, pauses.find(recipient.id())));
  }

  /** {@code GET /fhir/Endpoint[?status=active|suspended]}: every recipient's endpoint. */
  public FhirReply search(RoutingContext ctx, Caller caller) {
    SearchRequest request = SearchRequest.of("Endpoint", ctx.queryParams(), Handling.of(ctx), SEARCH);
    Optional<Endpoint.EndpointStatus> status = request.single("status").map(code -> switch (code) {
      case "active" -> Endpoint.EndpointStatus.ACTIVE;
      case "suspended" -> Endpoint.EndpointStatus.SUSPENDED;
      default -> throw new Rejected(Rejected.Kind.INVALID, "Endpoint search rejected: status must be active or suspended");
    });
    Map<String, RecipientPauses.Pause> paused = pauses.all().stream()
        .collect(Collectors.toMap(RecipientPauses.Pause::recipientId, Function.identity()));
    List<Endpoint> endpoints = directory.all().stream().filter(r -> r.endpoint().isPresent())
        .map(r -> endpoint(r, Optional.ofNullable(paused.get(r.id()))))
        .filter(e -> status.map(s -> s == e.getStatus()).orElse(true))
        .toList();
    String fhirBase = baseUrl.fhirBase(ctx);
    return FhirReply.ok(SearchBundle.page(request, fhirBase, endpoints.stream()
        .map(e -> new SearchBundle.Match(fhirBase + "/Endpoint/" + e.getIdElement().getIdPart(), e)).toList()));
  }

  private Recipient recipient(String id) {
    return directory.byId(id).filter(r -> r.endpoint().isPresent())
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Endpoint/" + id + " does not exist"));
  }

  /** The optional {@code reason} of a Parameters body; no body is no reason. */
  private Optional<String> reason(RoutingContext ctx) {
    if (RequestBodies.bytes(ctx).length == 0) {
      return Optional.empty();
    }
    Parameters parameters = RequestBodies.resource(ctx, codec, Parameters.class, "Parameters");
    for (Parameters.ParametersParameterComponent parameter : parameters.getParameter()) {
      if (!parameter.getName().equals("reason") || !(parameter.getValue() instanceof StringType text)) {
        throw new Rejected(Rejected.Kind.INVALID,
            "Parameters rejected: the only parameter is 'reason' (valueString); got '" + parameter.getName() + "'");
      }
      if (text.getValue() == null || text.getValue().isBlank() || text.getValue().length() > 500) {
        throw new Rejected(Rejected.Kind.INVALID, "Parameters rejected: 'reason' must be 1 to 500 characters");
      }
      return Optional.of(text.getValue());
    }
    return Optional.empty();
  }

  private static Endpoint endpoint(Recipient recipient, Optional<RecipientPauses.Pause> pause) {
    Endpoint endpoint = new Endpoint();
    endpoint.setId(recipient.id());
    endpoint.setStatus(pause.isPresent() ? Endpoint.EndpointStatus.SUSPENDED : Endpoint.EndpointStatus.ACTIVE);
    endpoint.setName(recipient.name());
    endpoint.setConnectionType(new Coding(CONNECTION_TYPES, "hl7-fhir-msg", "HL7 FHIR Messaging"));
    endpoint.addPayloadType().setText("FHIR message Bundle, signed (JWS) and encrypted (JWE) for the recipient");
    endpoint.setManagingOrganization(new Reference("Organization/" + recipient.id()).setDisplay(recipient.name()));
    recipient.endpoint().ifPresent(address -> endpoint.setAddress(address.toString()));
    pause.ifPresent(p -> {
      endpoint.getMeta().setLastUpdated(Date.from(p.pausedAt()));
      endpoint.addExtension(PAUSE_EXTENSION, new StringType("paused by " + p.pausedBy() + " at "
          + DateTimeFormatter.ISO_INSTANT.format(p.pausedAt()) + p.reason().map(r -> ": " + r).orElse("")));
    });
    return endpoint;
  }
}
