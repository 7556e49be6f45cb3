package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.gateway.storage.Acceptance;
import dk.brobygger.gateway.storage.MessageIntake;

/**
 * Stage 4: audit the decision and, on permit, put the message in the outbox with its Task, in one
 * durable transaction. A deny is recorded and answered as a refusal.
 */
public final class Record {

  private final MessageIntake intake;

  public Record(MessageIntake intake) {
    this.intake = intake;
  }

  public Acceptance apply(DecideConsent.DecidedMessage decided) {
    Validate.AddressedMessage addressed = decided.addressed();
    Decision decision = decided.decision();
    String actor = addressed.caller().actor();
    if (!decision.permits()) {
      intake.refuse(addressed.message(), addressed.recipient(), decision, actor);
      throw new Rejected(Rejected.Kind.CONSENT_DENIED,
          "Message rejected: no consent of the citizen permits disclosure to " + addressed.recipient().name()
              + " (" + addressed.recipient().kind() + ") for this purpose and data");
    }
    return intake.accept(addressed.message(), addressed.recipient(), decision, actor);
  }
}
