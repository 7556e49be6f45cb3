package dk.brobygger.gateway.delivery;

import dk.brobygger.delivery.ConsentRecheck;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.storage.ConsentStore;
import java.time.Clock;

/**
 * Decides consent again right before an attempt, against the current consents in the store, for
 * the same citizen, recipient, purpose and data as at acceptance. A withdrawal committed before the
 * attempt therefore stops it. A store error propagates: the route does not send (fail closed).
 */
public final class StoredConsentRecheck implements ConsentRecheck {

  private final ConsentStore consents;
  private final ConsentEvaluator evaluator;
  private final MessageReader reader;
  private final Clock clock;

  public StoredConsentRecheck(ConsentStore consents, ConsentEvaluator evaluator, MessageReader reader, Clock clock) {
    this.consents = consents;
    this.evaluator = evaluator;
    this.reader = reader;
    this.clock = clock;
  }

  @Override
  public Decision recheck(Disclosure disclosure) {
    // the stored body is the accepted message: reading it again yields the same data items
    ReceivedMessage message = reader.read(disclosure.body(), FhirFormat.JSON);
    DisclosureRequest request = new DisclosureRequest(
        disclosure.citizen(), disclosure.recipient(), disclosure.purpose(), message.items(), message.focusReference(),
        clock.instant());
    return evaluator.decide(consents.currentFor(disclosure.citizen()), request);
  }
}
