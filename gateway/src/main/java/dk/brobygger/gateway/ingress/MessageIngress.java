package dk.brobygger.gateway.ingress;

import dk.brobygger.gateway.storage.Acceptance;

/**
 * The ingress pipeline of {@code $process-message}, stage by stage, in the order they run. Each
 * stage either hands an immutable record to the next or throws: {@code Rejected} (the caller's
 * fault) or {@code Failed} (ours). Nothing is stored before the last stage, so a refusal at any
 * earlier stage changes nothing.
 */
public final class MessageIngress {

  private final Receive receive;
  private final Validate validate;
  private final DecideConsent decideConsent;
  private final Record record;

  public MessageIngress(Receive receive, Validate validate, DecideConsent decideConsent, Record record) {
    this.receive = receive;
    this.validate = validate;
    this.decideConsent = decideConsent;
    this.record = record;
  }

  public Acceptance process(IncomingMessage request) {
    Receive.ReceivedBody body = receive.apply(request);
    Validate.AddressedMessage addressed = validate.apply(body);
    DecideConsent.DecidedMessage decided = decideConsent.apply(addressed);
    return record.apply(decided);
  }
}
