package dk.brobygger.gateway.http;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.storage.DeliveryTask;
import dk.brobygger.gateway.storage.TaskStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/** Delivery Tasks: one per accepted message and recipient, tracking its delivery. */
public final class TaskResource {

  /** Identifies the message a Task delivers: MessageHeader.id. */
  public static final String MESSAGE_ID_SYSTEM = "https://brobygger.dk/sid/message-id";
  /** Task.output type for the number of delivery attempts made. */
  public static final String OUTPUT_TYPES = "https://brobygger.dk/fhir/CodeSystem/task-output";

  private final TaskStore tasks;
  private final Directory directory;

  public TaskResource(TaskStore tasks, Directory directory) {
    this.tasks = tasks;
    this.directory = directory;
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    String id = ctx.pathParam("id");
    DeliveryTask task = tasks.find(id)
        .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_FOUND, "Task/" + id + " does not exist"));
    return new FhirReply(200, toFhir(task), Optional.empty(), Optional.of(String.valueOf(task.version())));
  }

  /** The FHIR view of a delivery task. */
  public Task toFhir(DeliveryTask task) {
    Task fhir = new Task();
    fhir.setId(task.id());
    fhir.getMeta().setVersionId(String.valueOf(task.version())).setLastUpdated(Date.from(task.lastModified()));
    fhir.setStatus(status(task));
    fhir.setIntent(Task.TaskIntent.ORDER);
    fhir.getCode().addCoding().setSystem("http://hl7.org/fhir/CodeSystem/task-code").setCode("fulfill")
        .setDisplay("Deliver the message to the recipient");
    task.reason().ifPresent(reason -> fhir.setStatusReason(new CodeableConcept().setText(reason)));
    fhir.addIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(task.messageId()));
    fhir.setFocus(new Reference().setIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(task.messageId()))
        .setDisplay("message " + task.messageId()));
    Optional<Recipient> recipient = directory.byId(task.recipientId());
    Reference owner = new Reference("Organization/" + task.recipientId());
    recipient.ifPresent(r -> owner.setDisplay(r.name()));
    fhir.setOwner(owner);
    task.basis().ifPresent(basis -> fhir.setReasonReference(new Reference(basis.reference())));
    fhir.setAuthoredOn(Date.from(task.createdAt()));
    fhir.setLastModified(Date.from(task.lastModified()));
    Task.TaskOutputComponent attempts = fhir.addOutput();
    attempts.getType().addCoding().setSystem(OUTPUT_TYPES).setCode("delivery-attempts").setDisplay("Delivery attempts");
    attempts.setValue(new IntegerType(task.attempts()));
    return fhir;
  }

  private static Task.TaskStatus status(DeliveryTask task) {
    return switch (task.state()) {
      case REQUESTED -> Task.TaskStatus.REQUESTED;
      case IN_PROGRESS -> Task.TaskStatus.INPROGRESS;
      case COMPLETED -> Task.TaskStatus.COMPLETED;
      case FAILED -> Task.TaskStatus.FAILED;
      case CANCELLED -> Task.TaskStatus.CANCELLED;
    };
  }
}
