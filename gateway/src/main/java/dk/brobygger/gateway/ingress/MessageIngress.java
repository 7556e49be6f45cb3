package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.message.MessageEvent;

/**
 * The ingress pipeline of {@code $process-message}, stage by stage, in the order they run. Each
 * stage either hands an immutable record to the next or throws: {@code Rejected} (the caller's
 * fault) or {@code Failed} (ours). Nothing is stored before the last stage, so a refusal at any
 * earlier stage changes nothing.
 */
public final class MessageIngress {

  private final Receive receive;
  private final Validate validate;
  private final NameSender nameSender;
  private final Acknowledge acknowledge;
  private final DecideConsent decideConsent;
  private final Record record;

  public MessageIngress(
      Receive receive,
      Validate validate,
      NameSender nameSender,
      Acknowledge acknowledge,
      DecideConsent decideConsent,
      Record record) {
    this.receive = receive;
    this.validate = validate;
    this.nameSender = nameSender;
    this.acknowledge = acknowledge;
    this.decideConsent = decideConsent;
    this.record = record;
  }

  public Received process(IncomingMessage request) {
    Receive.ReceivedBody body = receive.apply(request);
    Validate.AddressedMessage addressed = nameSender.apply(validate.apply(body));
    if (addressed.message().event().equals(MessageEvent.ACKNOWLEDGEMENT.code())) {
      return acknowledge.apply(addressed); // discloses nothing: it settles one of our deliveries
    }
    DecideConsent.DecidedMessage decided = decideConsent.apply(addressed);
    return record.apply(decided);
  }

  /**
   * The stages of {@link #process} before the consent decision, for {@code Bundle/$validate}:
   * throws as {@code process} would for a message that breaks a rule; stores and sends nothing.
   */
  public Validate.AddressedMessage check(IncomingMessage request) {
    return nameSender.apply(validate.apply(receive.apply(request)));
  }
}
