package dk.brobygger.gateway.ingress;

import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.fhir.message.MessageAnswer;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.inbox.Inbox;
import dk.brobygger.gateway.messages.MessageIntake;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Stage 4: audit the decision and, on permit, put the message in the outbox with its Task (or, for
 * the outreach team without an endpoint of its own, in its inbox), in one durable transaction. A
 * deny is recorded and answered as a refusal.
 */
public final class Record {

  private final MessageIntake intake;
  private final Inbox inbox;
  private final Answerers answerers;

  public Record(MessageIntake intake, Inbox inbox, Answerers answerers) {
    this.intake = intake;
    this.inbox = inbox;
    this.answerers = answerers;
  }

  /** Says why, as far as the sender may know: which recipient, and which data class blocks it. */
  private static String refusal(Validate.AddressedMessage addressed, Decision decision) {
    String recipient = addressed.recipient().name() + " (" + addressed.recipient().kind() + ")";
    if (decision.basis().isPresent() && !decision.excludedClasses().isEmpty()) {
      return "Message rejected: the citizen's consent does not permit disclosing "
          + decision.excludedClasses().stream().map(c -> c.code()).sorted().collect(Collectors.joining(", "))
          + " data to " + recipient + "; the message's focus is of that class";
    }
    return "Message rejected: no consent of the citizen permits disclosure to " + recipient + " for this purpose and data";
  }

  public Received apply(DecideConsent.DecidedMessage decided) {
    Validate.AddressedMessage addressed = decided.addressed();
    Decision decision = decided.decision();
    String actor = addressed.caller().actor();
    if (!decision.permits()) {
      intake.refuse(addressed.message(), addressed.recipient(), decision, actor);
      throw new Rejected(Rejected.Kind.CONSENT_DENIED, refusal(addressed, decision));
    }
    ReceivedMessage message = addressed.message();
    if (DisclosurePolicy.isInbound(addressed.recipient().kind()) && addressed.recipient().endpoint().isEmpty()) {
      // to the outreach team, which reads it in its inbox at the gateway
      Optional<String> answers = message.answers().map(MessageAnswer::messageId);
      answers.ifPresent(original -> answerers.requireRecipientOf(original, addressed.caller()));
      Acceptance acceptance = inbox.receive(message, addressed.recipient(), decision, answers, actor);
      return new Received(message, Received.Route.INBOX, acceptance.taskId(), acceptance.duplicate());
    }
    Acceptance acceptance = intake.accept(message, addressed.recipient(), decision, actor);
    return new Received(message, Received.Route.OUTBOUND, acceptance.taskId(), acceptance.duplicate());
  }
}
