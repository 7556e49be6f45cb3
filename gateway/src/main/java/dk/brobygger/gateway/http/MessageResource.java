package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Failed;
import dk.brobygger.gateway.ingress.IncomingMessage;
import dk.brobygger.gateway.ingress.MessageIngress;
import dk.brobygger.gateway.storage.Acceptance;
import dk.brobygger.gateway.storage.TaskStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * {@code POST /fhir/$process-message}: runs the ingress pipeline and answers 202 Accepted with the
 * Task that tracks delivery. 202 means the message is durably on disk.
 */
public final class MessageResource {

  private final MessageIngress ingress;
  private final TaskStore tasks;
  private final TaskResource taskView;
  private final Runnable wakeDelivery;

  public MessageResource(MessageIngress ingress, TaskStore tasks, TaskResource taskView, Runnable wakeDelivery) {
    this.ingress = ingress;
    this.tasks = tasks;
    this.taskView = taskView;
    this.wakeDelivery = wakeDelivery;
  }

  public FhirReply process(RoutingContext ctx, Caller caller) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Acceptance acceptance = ingress.process(
        new IncomingMessage(caller, Optional.ofNullable(ctx.request().getHeader("Content-Type")), body));
    if (!acceptance.duplicate()) {
      wakeDelivery.run();
    }
    var task = tasks.find(acceptance.taskId())
        .orElseThrow(() -> new Failed("accepted Task " + acceptance.taskId() + " cannot be read back", null, true));
    return new FhirReply(202, taskView.toFhir(task), Optional.of("Task/" + task.id()),
        Optional.of(String.valueOf(task.version())));
  }
}
