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
import dk.brobygger.gateway.search.TaskQuery;
import dk.brobygger.gateway.search.TaskSearch;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.search.DateRange;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
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

  /** Task.code of a delivery Task. */
  static final String FULFIL_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";

  /** The search parameters of Task (the operator's search). */
  public static final List<SearchParam> SEARCH = List.of(
      SearchParam.patient("patient", SearchParam.fhir("Task-patient"),
          "the citizen the message is about: Patient/{id}, or patient:identifier=system|value (also patient.identifier); "
              + "every linked identifier"),
      SearchParam.patient("subject", SearchParam.fhir("Task-subject"), "the same as patient"),
      SearchParam.of("owner", SearchParamType.REFERENCE, SearchParam.fhir("Task-owner"),
          "Organization/{directory id}: the recipient of a delivery Task, the team of an inbox item"),
      SearchParam.of("status", SearchParamType.TOKEN, SearchParam.fhir("Task-status"),
          "requested, in-progress, completed, failed, cancelled (inbox items: requested = new, completed = handled); "
              + "comma-separated for any of them"),
      SearchParam.of("code", SearchParamType.TOKEN, SearchParam.fhir("Task-code"),
          "the message event (" + Code.MESSAGE_EVENTS + "|referral, ...) or the kind of Task: fulfill (delivery) or "
              + "handle-message (inbox item)"),
      SearchParam.of("authored-on", SearchParamType.DATE, SearchParam.fhir("Task-authored-on"),
          "when the message was accepted or received: ge, gt, le, lt or eq with a day or an instant; repeat for a range"),
      SearchParam.of("_lastUpdated", SearchParamType.DATE, SearchParam.fhir("Resource-lastUpdated"),
          "when the Task last changed, as authored-on"),
      SearchParam.of("identifier", SearchParamType.TOKEN, SearchParam.fhir("Task-identifier"),
          "the message id: " + MESSAGE_ID_SYSTEM + "|{MessageHeader.id}, or the id alone"),
      SearchParam.of("focus", SearchParamType.REFERENCE, SearchParam.fhir("Task-focus"),
          "the message: Bundle/{MessageHeader.id}"));

  private final TaskStore tasks;
  private final TaskSearch search;
  private final CitizenCriterion citizens;
  private final BaseUrl baseUrl;
  private final Inbox inbox;
  private final MessageArchive archive;
  private final Directory directory;
  private final FhirCodec codec;

  public TaskResource(TaskStore tasks, TaskSearch search, Inbox inbox, MessageArchive archive, Directory directory,
      FhirCodec codec, CitizenCriterion citizens, BaseUrl baseUrl) {
    this.search = search;
    this.citizens = citizens;
    this.baseUrl = baseUrl;
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
   * {@code GET /fhir/Task}: delivery Tasks and inbox items the caller may see (it sent the message,
   * receives it, or owns the inbox; the privacy officer sees all), newest first, paged; the
   * operator's way to find messages by citizen, recipient, status, event, time and message id.
   */
  public FhirReply search(RoutingContext ctx, Caller caller) {
    SearchRequest request = SearchRequest.of("Task", ctx.queryParams(), Handling.of(ctx), SEARCH);
    TaskQuery query = query(request);
    List<TaskSearch.Found> rows = search.search(query, caller.visibility(), request.offset(), SearchBundle.rowsToRead(request));
    // counting a broad search's matches costs as much as sorting them all (1.5 s for every Task at 1M
    // messages): Tasks are counted only when asked for exactly; none and estimate leave Bundle.total out
    boolean counted = request.summaryCount() || "accurate".equals(ctx.queryParams().get("_total"));
    Optional<Long> total = counted ? Optional.of(search.count(query, caller.visibility())) : Optional.empty();
    String fhirBase = baseUrl.fhirBase(ctx);
    List<SearchBundle.Match> matches = new ArrayList<>();
    for (TaskSearch.Found found : rows) {
      TaskSearch.MessageFacts facts = new TaskSearch.MessageFacts(found.event(), found.citizen());
      Optional<Task> task = found.kind() == TaskQuery.Kind.DELIVERY
          ? tasks.find(found.id()).map(t -> toFhir(t, Optional.of(facts)))
          : inbox.find(found.id()).map(this::toFhir);
      // a Task is never deleted; one missing here was found by the search in another transaction
      task.ifPresent(t -> matches.add(new SearchBundle.Match(fhirBase + "/Task/" + found.id(), t)));
    }
    return FhirReply.ok(SearchBundle.page(request, fhirBase, total, matches));
  }

  private TaskQuery query(SearchRequest request) {
    Optional<List<CitizenIdentifier>> citizen = citizens.of(request, "patient");
    Optional<List<CitizenIdentifier>> subject = citizens.of(request, "subject");
    if (citizen.isPresent() && subject.isPresent()) {
      throw new Rejected(Rejected.Kind.INVALID, "Task search rejected: name the citizen once, by patient or by subject");
    }
    Optional<String> owner = request.single("owner").map(reference -> {
      String id = reference.substring(reference.lastIndexOf('/') + 1);
      if (reference.contains("/") && !reference.contains("Organization/")) {
        throw new Rejected(Rejected.Kind.INVALID, "Task search rejected: owner must reference an Organization "
            + "(Organization/{directory id}), got '" + reference + "'");
      }
      return id;
    });
    Set<TaskState> deliveryStates = EnumSet.noneOf(TaskState.class);
    Set<InboxState> inboxStates = EnumSet.noneOf(InboxState.class);
    Set<TaskQuery.Kind> kinds = EnumSet.allOf(TaskQuery.Kind.class);
    List<String> statuses = request.anyOf("status");
    if (!statuses.isEmpty()) {
      for (String status : statuses) {
        Task.TaskStatus fhirStatus;
        try {
          fhirStatus = Task.TaskStatus.fromCode(status);
        } catch (org.hl7.fhir.exceptions.FHIRException e) {
          throw new Rejected(Rejected.Kind.INVALID, "Task search rejected: status '" + status + "' is not a Task status");
        }
        switch (fhirStatus) {
          case REQUESTED -> {
            deliveryStates.add(TaskState.REQUESTED);
            inboxStates.add(InboxState.NEW);
          }
          case INPROGRESS -> deliveryStates.add(TaskState.IN_PROGRESS);
          case COMPLETED -> {
            deliveryStates.add(TaskState.COMPLETED);
            inboxStates.add(InboxState.HANDLED);
          }
          case FAILED -> deliveryStates.add(TaskState.FAILED);
          case CANCELLED -> deliveryStates.add(TaskState.CANCELLED);
          default -> { } // a status no Task here ever has: it matches nothing
        }
      }
      if (deliveryStates.isEmpty()) {
        kinds.remove(TaskQuery.Kind.DELIVERY);
      }
      if (inboxStates.isEmpty()) {
        kinds.remove(TaskQuery.Kind.INBOX);
      }
    }
    Set<String> events = new HashSet<>();
    List<String> codes = request.anyOf("code");
    if (!codes.isEmpty()) {
      Set<TaskQuery.Kind> coded = EnumSet.noneOf(TaskQuery.Kind.class);
      for (String token : codes) {
        int bar = token.indexOf('|');
        String system = bar < 0 ? "" : token.substring(0, bar);
        String code = token.substring(bar + 1);
        if ((system.isEmpty() || system.equals(FULFIL_SYSTEM)) && code.equals("fulfill")) {
          coded.add(TaskQuery.Kind.DELIVERY);
        } else if ((system.isEmpty() || system.equals(TASK_CODES)) && code.equals("handle-message")) {
          coded.add(TaskQuery.Kind.INBOX);
        } else if (system.isEmpty() || system.equals(Code.MESSAGE_EVENTS)) {
          events.add(code);
          coded.addAll(EnumSet.allOf(TaskQuery.Kind.class));
        }
      }
      kinds.retainAll(coded);
    }
    DateRange authored = DateRange.of(request.values("authored-on"), "authored-on", request.what());
    DateRange updated = DateRange.of(request.values("_lastUpdated"), "_lastUpdated", request.what());
    Optional<String> byIdentifier = request.single("identifier").map(token -> {
      int bar = token.indexOf('|');
      if (bar >= 0 && !token.substring(0, bar).isEmpty() && !token.substring(0, bar).equals(MESSAGE_ID_SYSTEM)) {
        throw new Rejected(Rejected.Kind.INVALID, "Task search rejected: a Task's identifier is its message id ("
            + MESSAGE_ID_SYSTEM + "|{MessageHeader.id})");
      }
      return token.substring(bar + 1);
    });
    Optional<String> byFocus = request.single("focus").map(reference -> {
      if (!reference.startsWith("Bundle/") && reference.contains("/")) {
        throw new Rejected(Rejected.Kind.INVALID, "Task search rejected: focus is the message, Bundle/{MessageHeader.id}");
      }
      return reference.substring(reference.indexOf('/') + 1);
    });
    if (byIdentifier.isPresent() && byFocus.isPresent() && !byIdentifier.equals(byFocus)) {
      kinds.clear(); // two different messages: nothing is about both
    }
    return new TaskQuery(citizen.or(() -> subject), owner, deliveryStates, inboxStates, kinds, events,
        authored.from(), authored.until(), updated.from(), updated.until(), byIdentifier.or(() -> byFocus));
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
    return toFhir(task, search.facts(task.messageId()));
  }

  private Task toFhir(DeliveryTask task, Optional<TaskSearch.MessageFacts> facts) {
    Task fhir = base(task.id(), task.version(), task.lastModified(), task.messageId(), task.recipientId());
    fhir.setStatus(switch (task.state()) {
      case REQUESTED -> Task.TaskStatus.REQUESTED;
      case IN_PROGRESS -> Task.TaskStatus.INPROGRESS;
      case COMPLETED -> Task.TaskStatus.COMPLETED;
      case FAILED -> Task.TaskStatus.FAILED;
      case CANCELLED -> Task.TaskStatus.CANCELLED;
    });
    fhir.getCode().addCoding().setSystem(FULFIL_SYSTEM).setCode("fulfill")
        .setDisplay("Deliver the message to the recipient");
    facts.ifPresent(f -> {
      fhir.getCode().addCoding().setSystem(Code.MESSAGE_EVENTS).setCode(f.event());
      f.citizen().ifPresent(citizen ->
          fhir.setFor(new Reference().setIdentifier(new Identifier().setSystem(citizen.system()).setValue(citizen.value()))));
    });
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
    fhir.getCode().addCoding().setSystem(Code.MESSAGE_EVENTS).setCode(item.event());
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
