package dk.brobygger.fhir.message;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.MessageHeader.MessageHeaderResponseComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityComponent;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;

/**
 * How a message names the message it answers, in the MedCom shape: MessageHeader.response says
 * which message and how it was taken, and a Provenance whose target is the message's subject (its
 * focus, or the MessageHeader when it has none) names the same message as its source entity. The
 * gateway links an answer to the original by that id, so the two must agree.
 */
final class AnswerRules {

  private AnswerRules() {}

  /** MessageHeader.response, required for appointment responses and acknowledgements. */
  static Optional<MessageAnswer> answer(MessageEntries message, MessageHeader header, MessageEvent event) {
    if (!header.hasResponse()) {
      if (event == MessageEvent.APPOINTMENT_RESPONSE) {
        throw message.reject("MessageHeader.response is missing; an appointment response names "
            + "the appointment request it answers by its MessageHeader.id");
      }
      if (event == MessageEvent.ACKNOWLEDGEMENT) {
        throw message.reject("MessageHeader.response is missing; an acknowledgement names the message it answers");
      }
      return Optional.empty();
    }
    MessageHeaderResponseComponent response = header.getResponse();
    if (!response.hasIdentifier()) {
      throw message.reject("MessageHeader.response.identifier is missing");
    }
    if (!response.hasCode()) {
      throw message.reject("MessageHeader.response.code is missing");
    }
    String answered = response.getIdentifier();
    if (answered.equals(header.getIdElement().getIdPart())) {
      throw message.reject("MessageHeader.response.identifier is the message's own MessageHeader.id");
    }
    ResponseCode code = ResponseCode.of(response.getCode());
    if (event == MessageEvent.APPOINTMENT_RESPONSE && code != ResponseCode.OK) {
      throw message.reject("MessageHeader.response.code must be 'ok' for an appointment response, got '"
          + code.code() + "'; a request that could not be processed is answered by an acknowledgement");
    }
    checkDetails(message, response, event, code);
    return Optional.of(new MessageAnswer(answered, code));
  }

  /** The OperationOutcome entry MessageHeader.response.details points to, if any. */
  static Optional<OperationOutcome> details(BundleIndex message, MessageHeader header) {
    if (!header.getResponse().hasDetails() || !header.getResponse().getDetails().hasReference()) {
      return Optional.empty();
    }
    return message.resolve(header.getResponse().getDetails().getReference())
        .map(BundleEntryComponent::getResource)
        .filter(OperationOutcome.class::isInstance)
        .map(OperationOutcome.class::cast);
  }

  /** An error is explained by an OperationOutcome in the message, so that it can be recorded. */
  private static void checkDetails(
      MessageEntries message, MessageHeaderResponseComponent response, MessageEvent event, ResponseCode code) {
    if (!response.hasDetails()) {
      if (event == MessageEvent.ACKNOWLEDGEMENT && code != ResponseCode.OK) {
        throw message.reject("MessageHeader.response.details must reference an OperationOutcome entry when "
            + "MessageHeader.response.code is '" + code.code() + "'");
      }
      return;
    }
    String reference = response.getDetails().getReference();
    if (reference == null || reference.isBlank()) {
      throw message.reject("MessageHeader.response.details has no reference");
    }
    BundleEntryComponent details = message.resolve(reference).orElseThrow(() -> message.reject(
        "MessageHeader.response.details " + reference + " does not resolve to an entry of the Bundle"));
    if (!(details.getResource() instanceof OperationOutcome)) {
      throw message.reject("MessageHeader.response.details must reference an OperationOutcome, got "
          + details.getResource().fhirType());
    }
  }

  /**
   * The Provenance of the message, if it has one (an appointment response must): the one whose
   * target is the subject, with a source entity naming the answered message.
   *
   * @param subject the focus entry, or the MessageHeader entry of a message without focus
   * @param subjectName how diagnostics name the subject
   */
  static void checkProvenance(MessageEntries message, MessageEvent event, BundleEntryComponent subject,
      String subjectName, Optional<MessageAnswer> answer) {
    List<BundleEntryComponent> provenances = message.ofType(Provenance.class);
    if (provenances.isEmpty()) {
      if (event == MessageEvent.APPOINTMENT_RESPONSE) {
        throw message.reject("the Bundle has no Provenance entry; an appointment response needs one whose target "
            + "is the focus Appointment and whose source entity names the appointment request");
      }
      return;
    }
    List<Provenance> onSubject = provenances.stream()
        .map(e -> (Provenance) e.getResource())
        .filter(p -> p.getTarget().stream().anyMatch(t -> message.refersTo(t, subject)))
        .toList();
    if (onSubject.isEmpty()) {
      throw message.reject("Provenance.target must reference " + subjectName + " (" + subject.getFullUrl() + ")");
    }
    if (onSubject.size() > 1) {
      throw message.reject(onSubject.size() + " Provenance entries target " + subjectName + "; exactly one may");
    }
    String named = answeredMessage(message, onSubject.get(0));
    if (answer.isEmpty()) {
      throw message.reject("Provenance names the answered message '" + named + "' but MessageHeader.response is missing");
    }
    if (!named.equals(answer.get().messageId())) {
      throw message.reject("Provenance.entity.what.identifier '" + named
          + "' does not match MessageHeader.response.identifier '" + answer.get().messageId() + "'");
    }
  }

  private static String answeredMessage(MessageEntries message, Provenance provenance) {
    List<ProvenanceEntityComponent> sources = provenance.getEntity().stream()
        .filter(e -> e.getRole() == ProvenanceEntityRole.SOURCE)
        .toList();
    if (sources.isEmpty()) {
      throw message.reject("Provenance.entity with role 'source' is missing; it names the answered message");
    }
    if (sources.size() > 1) {
      throw message.reject("Provenance has " + sources.size() + " entities with role 'source'; a message answers one");
    }
    Identifier identifier = sources.get(0).getWhat().getIdentifier();
    if (!MessageAnswer.MESSAGE_ID.equals(identifier.getSystem()) || !identifier.hasValue()) {
      throw message.reject("Provenance.entity.what.identifier must have system " + MessageAnswer.MESSAGE_ID
          + " and the answered MessageHeader.id as value");
    }
    return identifier.getValue();
  }
}
