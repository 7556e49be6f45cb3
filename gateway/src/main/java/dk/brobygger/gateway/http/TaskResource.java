package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auditlog.DisclosureReceipts;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.inbox.InboxItem;
import dk.brobygger.gateway.inbox.InboxState;
import dk.brobygger.gateway.messages.MessageArchive;
import dk.brobygger.gateway.messages.TaskStore;
import dk.brobygger.gateway.outbox.TaskState;
import io.vertx.ext.web.RoutingContext;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UriType;

/**
 * Tasks, of two kinds under one path: delivery Tasks (one per accepted outbound message and
 * recipient, tracking its delivery) and inbox items (one per message received for the outreach
 * team, which it marks handled). A Task the caller has no part in (it did not send the message, it
 * is not the recipient or the inbox's owner) is "not found", never "forbidden": a refusal does not
 * reveal that it exists. The privacy officer sees every Task, changes none.
 */
public final class TaskResource {

  /** Identifies the message a Task is about: MessageHeader.id. */
  public static final String MESSAGE_ID_SYSTEM = "https://brobygger.dk/sid/message-id";
  /** Task.output types, Task.code for inbox items. */
  public static final String TASK_CODES = "https://brobygger.dk/fhir/CodeSystem/task-output";

  private final TaskStore tasks;
  private final Inbox inbox;
  private final MessageArchive archive;
  private final Directory directory;
  private final FhirCodec codec;

  public TaskResource(TaskStore tasks, Inbox inbox, MessageArchive archive, Directory directory, FhirCodec codec) {
    this.tasks = tasks;
    this.inbox = inbox;
    this.archive = archive;
    this.directory = directory;
    this.codec = codec;
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    Optional<DeliveryTask> delivery = tasks.find(id, caller.visibility());
    if (delivery.isPresent()) {
      return new FhirReply(200, toFhir(delivery.get()), Optional.empty(), Optional.of(String.valueOf(delivery.get().version())));
    }
    InboxItem item = inbox.find(id, caller.visibility()).orElseThrow(() -> notFound(id));
    return new FhirReply(200, toFhir(item), Optional.empty(), Optional.of(String.valueOf(item.version())));
  }

  /** The Task with this id, whichever kind, for a reply that carries it. */
  public Task find(String id) {
    return tasks.find(id).map(this::toFhir).or(() -> inbox.find(id).map(this::toFhir)).orElseThrow(() -> notFound(id));
  }

  /**
   * {@code GET /fhir/Task?owner=Organization/{id}&status=requested|completed}: the caller's own
   * inbox; the privacy officer may name any owner.
   */
  public FhirReply search(RoutingContext ctx, Caller caller) {
    for (String name : ctx.queryParams().names()) {
      if (!Set.of("owner", "status", "_format").contains(name)) {
        throw new Rejected(Rejected.Kind.INVALID,
            "Task search rejected: parameter '" + name + "' is not supported (supported: owner, status)");
      }
    }
    String owner = Optional.ofNullable(ctx.queryParams().get("owner"))
        .map(o -> o.startsWith("Organization/") ? o.substring("Organization/".length()) : o)
        .orElse(caller.id());
    if (!caller.visibility().sees(owner)) {
      throw new Rejected(Rejected.Kind.FORBIDDEN, "Task search rejected: " + caller.id() + " may only read its own inbox");
    }
    Optional<InboxState> state = Optional.ofNullable(ctx.queryParams().get("status")).map(status -> switch (status) {
      case "requested" -> InboxState.NEW;
      case "completed" -> InboxState.HANDLED;
      default -> throw new Rejected(Rejected.Kind.INVALID,
          "Task search rejected: status must be requested (new) or completed (handled)");
    });
    List<InboxItem> items = inbox.list(owner, state);
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(items.size());
    for (InboxItem item : items) {
      bundle.addEntry().setFullUrl("Task/" + item.id()).setResource(toFhir(item))
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    return FhirReply.ok(bundle);
  }

  /** {@code PUT /fhir/Task/{id}} with status completed: the owner marks an inbox item handled. */
  public FhirReply update(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    InboxItem item = inbox.find(id).filter(i -> i.ownerId().equals(caller.id())).orElseThrow(() -> notFound(id));
    Task changed = RequestBodies.resource(ctx, codec, Task.class, "Task");
    if (!id.equals(changed.getIdElement().getIdPart())) {
      throw new Rejected(Rejected.Kind.INVALID, "Task rejected: the resource id must equal the id in the URL (" + id + ")");
    }
    if (changed.getStatus() != Task.TaskStatus.COMPLETED) {
      throw new Rejected(Rejected.Kind.INVALID,
          "Task rejected: an inbox item can only be marked handled (status completed); nothing else about it changes");
    }
    InboxItem handled = inbox.markHandled(item.id(), RequestBodies.ifMatch(ctx), caller.actor());
    return new FhirReply(200, toFhir(handled), Optional.empty(), Optional.of(String.valueOf(handled.version())));
  }

  /**
   * {@code GET /fhir/Bundle/{messageId}}: a message the caller sent or that is in its inbox, as it
   * was received.
   */
  public FhirReply message(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    byte[] message = archive.readable(id, caller.visibility())
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Bundle/" + id + " does not exist"));
    return FhirReply.ok(codec.parse(message, FhirFormat.JSON, Bundle.class));
  }

  /** The FHIR view of a delivery task. */
  public Task toFhir(DeliveryTask task) {
    Task fhir = base(task.id(), task.version(), task.lastModified(), task.messageId(), task.recipientId());
    fhir.setStatus(switch (task.state()) {
      case REQUESTED -> Task.TaskStatus.REQUESTED;
      case IN_PROGRESS -> Task.TaskStatus.INPROGRESS;
      case COMPLETED -> Task.TaskStatus.COMPLETED;
      case FAILED -> Task.TaskStatus.FAILED;
      case CANCELLED -> Task.TaskStatus.CANCELLED;
    });
    fhir.getCode().addCoding().setSystem("http://hl7.org/fhir/CodeSystem/task-code").setCode("fulfill")
        .setDisplay("Deliver the message to the recipient");
    task.reason().ifPresent(reason -> fhir.setStatusReason(new CodeableConcept().setText(reason)));
    task.businessStatus().ifPresent(status -> fhir.setBusinessStatus(new CodeableConcept().setText(status)));
    task.basis().ifPresent(basis -> fhir.setReasonReference(new Reference(basis.reference())));
    fhir.setAuthoredOn(Date.from(task.createdAt()));
    Task.TaskOutputComponent attempts = fhir.addOutput();
    attempts.getType().addCoding().setSystem(TASK_CODES).setCode("delivery-attempts").setDisplay("Delivery attempts");
    attempts.setValue(new IntegerType(task.attempts()));
    if (task.state() == TaskState.COMPLETED) {
      // delivered: the disclosure's receipt (c2sp.org/tlog-proof), relative to the gateway's base URL
      Task.TaskOutputComponent receipt = fhir.addOutput();
      receipt.getType().addCoding().setSystem(TASK_CODES).setCode("disclosure-receipt")
          .setDisplay("Receipt: proof that the disclosure is in the audit log");
      receipt.setValue(new UriType(DisclosureReceipts.link(task.messageId())));
    }
    for (String answer : task.answerMessageIds()) {
      Task.TaskOutputComponent output = fhir.addOutput();
      output.getType().addCoding().setSystem(TASK_CODES).setCode("answer").setDisplay("The recipient's answer");
      output.setValue(new Reference().setIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(answer)));
    }
    return fhir;
  }

  /** The FHIR view of an inbox item: requested until the owner marks it handled (completed). */
  public Task toFhir(InboxItem item) {
    Task fhir = base(item.id(), item.version(), item.handledAt().orElse(item.receivedAt()), item.messageId(), item.ownerId());
    fhir.setStatus(item.state() == InboxState.NEW ? Task.TaskStatus.REQUESTED : Task.TaskStatus.COMPLETED);
    fhir.getCode().addCoding().setSystem(TASK_CODES).setCode("handle-message").setDisplay("Handle a received message");
    fhir.setBusinessStatus(new CodeableConcept().setText(item.event()));
    fhir.getFocus().setReference("Bundle/" + item.messageId());
    item.citizen().stream().findFirst().ifPresent(citizen ->
        fhir.setFor(new Reference().setIdentifier(new Identifier().setSystem(citizen.system()).setValue(citizen.value()))));
    item.senderToken().ifPresent(token -> {
      int bar = token.indexOf('|');
      if (bar > 0) {
        fhir.setRequester(new Reference().setIdentifier(
            new Identifier().setSystem(token.substring(0, bar)).setValue(token.substring(bar + 1))));
      }
    });
    fhir.setAuthoredOn(Date.from(item.receivedAt()));
    item.answersMessageId().ifPresent(original -> fhir.addInput()
        .setValue(new StringType(original))
        .getType().addCoding().setSystem(TASK_CODES).setCode("answers").setDisplay("The message this answers"));
    item.handledBy().ifPresent(by -> fhir.addNote().setText("handled by " + by));
    return fhir;
  }

  private Task base(String id, long version, java.time.Instant lastModified, String messageId, String ownerId) {
    Task fhir = new Task();
    fhir.setId(id);
    fhir.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(Date.from(lastModified));
    fhir.setIntent(Task.TaskIntent.ORDER);
    fhir.addIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(messageId));
    fhir.getFocus().setIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(messageId))
        .setDisplay("message " + messageId);
    Reference owner = new Reference("Organization/" + ownerId);
    directory.byId(ownerId).ifPresent(r -> owner.setDisplay(r.name()));
    fhir.setOwner(owner);
    fhir.setLastModified(Date.from(lastModified));
    return fhir;
  }

  private static Rejected notFound(String id) {
    return new Rejected(Rejected.Kind.NOT_FOUND, "Task/" + id + " does not exist");
  }
}
