package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.MessageAnswer;
import dk.brobygger.fhir.message.MessagingResponses;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryAnswers;
import java.util.Optional;

/**
 * An asynchronous acknowledgement (MedCom style) of one of our outbound messages: {@code ok}
 * confirms the delivery Task, {@code fatal-error} fails it with the recipient's reason. Only the
 * system the message was delivered to may acknowledge it.
 */
public final class Acknowledge {

  private final DeliveryAnswers answers;
  private final Answerers answerers;

  public Acknowledge(DeliveryAnswers answers, Answerers answerers) {
    this.answers = answers;
    this.answerers = answerers;
  }

  public Received apply(Validate.AddressedMessage addressed) {
    ReceivedMessage ack = addressed.message();
    MessageAnswer answered = ack.answers().orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
        "Acknowledgement rejected: MessageHeader.response is missing"));
    answerers.requireRecipientOf(answered.messageId(), addressed.caller());
    Optional<String> reason = MessagingResponses.details(ack)
        .map(outcome -> outcome.getIssue().stream().map(i -> i.getDiagnostics()).filter(d -> d != null)
            .findFirst().orElse("no diagnostics"));
    Acceptance acceptance = answers.acknowledge(ack, answered.messageId(), answered.code().code(), reason,
        addressed.caller().actor());
    return new Received(ack, Received.Route.ACKNOWLEDGEMENT, acceptance.taskId(), acceptance.duplicate());
  }
}
