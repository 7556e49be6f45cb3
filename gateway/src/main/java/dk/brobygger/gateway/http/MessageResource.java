package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.MessagingResponses;
import dk.brobygger.gateway.ingress.IncomingMessage;
import dk.brobygger.gateway.ingress.MessageIngress;
import dk.brobygger.gateway.ingress.Received;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code POST /fhir/$process-message}: runs the ingress pipeline and answers with a FHIR messaging
 * response ({@code ok}) that carries the Task tracking the message: 202 Accepted for a message on
 * its way out (202 means it is durably on disk), 200 for one received into the inbox or an
 * acknowledgement. A message sent again gets the same answer and is not stored twice.
 */
public final class MessageResource {

  /** How the gateway names itself as the sender of messaging responses. */
  public static final OrganisationIdentifier GATEWAY =
      new OrganisationIdentifier(OrganisationIdentifier.LOCAL, "brobygger-gateway");

  private final MessageIngress ingress;
  private final TaskResource tasks;
  private final Runnable wakeDelivery;
  private final BaseUrl baseUrl;
  private final Clock clock;
  private final FhirCodec codec;

  public MessageResource(MessageIngress ingress, TaskResource tasks, Runnable wakeDelivery, BaseUrl baseUrl, Clock clock,
      FhirCodec codec) {
    this.codec = codec;
    this.ingress = ingress;
    this.tasks = tasks;
    this.wakeDelivery = wakeDelivery;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  public FhirReply process(RoutingContext ctx, Caller caller) {
    Received received = ingress.process(
        new IncomingMessage(caller, Optional.ofNullable(ctx.request().getHeader("Content-Type")),
            OperationInput.message(ctx, codec)));
    if (received.route() == Received.Route.OUTBOUND && !received.duplicate()) {
      wakeDelivery.run();
    }
    String taskReference = "Task/" + received.taskId();
    // the message's own timestamp makes the answer to a resent message the same answer
    Instant at = Optional.ofNullable(received.message().bundle().getTimestamp()).map(d -> d.toInstant())
        .orElseGet(clock::instant);
    Bundle response = new MessagingResponses(baseUrl.fhirBase(ctx) + "/$process-message")
        .ok(received.message(), GATEWAY, Optional.of(taskReference), at);
    Resource task = tasks.find(received.taskId());
    response.addEntry().setFullUrl(baseUrl.fhirBase(ctx) + "/" + taskReference).setResource(task);
    return new FhirReply(received.route() == Received.Route.OUTBOUND ? 202 : 200, response,
        Optional.of(taskReference), Optional.empty());
  }
}
