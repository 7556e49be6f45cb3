package dk.brobygger.fhir.message;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The synchronous FHIR messaging response to a received message ({@code $process-message}): a
 * message Bundle whose MessageHeader.response names the answered message and how it was taken,
 * in the MedCom shape (MessageHeader first, sender and receiver Organizations with identifiers, a
 * Provenance naming the answered message). Pure and thread-safe.
 *
 * <p>Every id in a response is a name-based UUID of the answered message id and the response
 * code, so that answering a duplicate again gives the same bytes when the time is the same.
 *
 * <p>An ok response has the event of the message it answers, as FHIR messaging has a response
 * carry its request's event. An error response may answer a message that could not be read, whose
 * event is unknown, so it always has the event {@code acknowledgement}.
 */
public final class MessagingResponses {

  private final String endpoint;

  /**
   * @param endpoint where answers to our responses go (MessageHeader.source.endpoint): this
   *     gateway's {@code $process-message} URL
   */
  public MessagingResponses(String endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * The message was accepted.
   *
   * @param taskReference the Task that follows the message (MessageHeader.focus), when there is one
   */
  public Bundle ok(ReceivedMessage message, OrganisationIdentifier gateway, Optional<String> taskReference, Instant at) {
    Response response = new Response(message.messageId(), ResponseCode.OK, gateway, at);
    MessageHeader header = response.header(new Coding(message.event().system(), message.event().code(), null));
    message.sender().ifPresent(sender -> {
      MessageHeader answered = (MessageHeader) message.bundle().getEntryFirstRep().getResource();
      String receiver = response.organisation("receiver", sender);
      MessageHeader.MessageDestinationComponent destination = header.addDestination().setReceiver(new Reference(receiver));
      if (answered.getSource().hasEndpoint()) {
        destination.setEndpoint(answered.getSource().getEndpoint());
      }
    });
    taskReference.ifPresent(task -> header.addFocus(new Reference(task)));
    response.provenance(taskReference);
    return response.bundle;
  }

  /**
   * The message was not accepted: {@code transient-error} when the sender may send the same message
   * again later, {@code fatal-error} when it must not.
   *
   * @param details why, as the caller may know it (e.g. {@link OperationOutcomes#rejected})
   */
  public Bundle error(String messageId, ResponseCode code, OperationOutcome details, OrganisationIdentifier gateway,
      Instant at) {
    if (code == ResponseCode.OK) {
      throw new IllegalArgumentException("an error response needs an error code, not ok");
    }
    Response response = new Response(messageId, code, gateway, at);
    Coding acknowledgement = new Coding(MessageEvent.ACKNOWLEDGEMENT.code().system(), MessageEvent.ACKNOWLEDGEMENT.code().code(), null);
    MessageHeader header = response.header(acknowledgement);
    String outcome = response.add("details", details.copy());
    header.getResponse().setDetails(new Reference(outcome));
    response.provenance(Optional.empty());
    return response.bundle;
  }

  /** The OperationOutcome an answer's MessageHeader.response.details points to, e.g. why it failed. */
  public static Optional<OperationOutcome> details(ReceivedMessage answer) {
    MessageHeader header = (MessageHeader) answer.bundle().getEntryFirstRep().getResource();
    return AnswerRules.details(new BundleIndex(answer.bundle().getEntry()), header);
  }

  /** One response Bundle being built; each entry's id derives from the response's own id. */
  private final class Response {
    private final String answered;
    private final ResponseCode code;
    private final OrganisationIdentifier gateway;
    private final InstantType at;
    private final UUID id;
    private final Bundle bundle = new Bundle();
    private String sender;

    Response(String answered, ResponseCode code, OrganisationIdentifier gateway, Instant at) {
      this.answered = Objects.requireNonNull(answered, "answered");
      this.code = Objects.requireNonNull(code, "code");
      this.gateway = Objects.requireNonNull(gateway, "gateway");
      // Millisecond precision in UTC: the same instant always encodes to the same text.
      this.at = new InstantType(at.truncatedTo(ChronoUnit.MILLIS).toString());
      this.id = nameUuid("response|" + answered + "|" + code.code());
      bundle.setId(derived("bundle"));
      bundle.setType(Bundle.BundleType.MESSAGE);
      bundle.setTimestampElement(this.at.copy());
    }

    MessageHeader header(Coding event) {
      MessageHeader header = new MessageHeader();
      header.setId(id.toString());
      bundle.addEntry().setFullUrl(urn(id.toString())).setResource(header);
      header.setEvent(event);
      sender = organisation("sender", gateway);
      header.setSender(new Reference(sender));
      header.getSource().setEndpoint(endpoint);
      header.getResponse().setIdentifier(answered).setCode(code.toFhir());
      return header;
    }

    /** An Organization entry that names a party by its identifier; returns its fullUrl. */
    String organisation(String role, OrganisationIdentifier identifier) {
      Organization organisation = new Organization();
      organisation.addIdentifier(new Identifier().setSystem(identifier.system()).setValue(identifier.value()));
      return add(role, organisation);
    }

    /** Target: the Task when given, else this message's header (as an acknowledgement has no focus). */
    void provenance(Optional<String> taskReference) {
      Provenance provenance = new Provenance();
      provenance.addTarget(new Reference(taskReference.orElse(urn(id.toString()))));
      provenance.setRecordedElement(at.copy());
      provenance.addAgent().setWho(new Reference(sender));
      provenance.addEntity().setRole(ProvenanceEntityRole.SOURCE).setWhat(new Reference().setIdentifier(
          new Identifier().setSystem(MessageAnswer.MESSAGE_ID).setValue(answered)));
      add("provenance", provenance);
    }

    String add(String role, Resource resource) {
      String entryId = derived(role);
      resource.setId(entryId);
      bundle.addEntry().setFullUrl(urn(entryId)).setResource(resource);
      return urn(entryId);
    }

    private String derived(String role) {
      return nameUuid(id + "|" + role).toString();
    }
  }

  private static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String urn(String uuid) {
    return "urn:uuid:" + uuid;
  }
}
