package dk.brobygger.gateway.ingress;

import dk.brobygger.gateway.consent.DisclosurePolicy;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.auth.Caller;

/**
 * Stage 2: the body is a valid FHIR message Bundle, addressed to a recipient in the directory that
 * can receive messages. Reading runs through the {@link ValidationGate}: never before the validator
 * is ready, never more at once than there are cores.
 */
public final class Validate {

  /** A valid message and the directory entry it is addressed to. */
  public record AddressedMessage(Caller caller, ReceivedMessage message, Recipient recipient) {}

  private final MessageReader reader;
  private final ValidationGate gate;
  private final Directory directory;

  public Validate(MessageReader reader, ValidationGate gate, Directory directory) {
    this.reader = reader;
    this.gate = gate;
    this.directory = directory;
  }

  public AddressedMessage apply(Receive.ReceivedBody body) {
    ReceivedMessage message = gate.validate(() -> reader.read(body.request().body(), body.format()));
    Recipient recipient =
        directory
            .byIdentifier(message.destination())
            .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
                "Message rejected: MessageHeader.destination.receiver " + message.destination().token()
                    + " is not a recipient in the directory"));
    if (recipient.endpoint().isEmpty() && !DisclosurePolicy.isInbound(recipient.kind())) {
      // the outreach team may have no endpoint: its messages wait in its inbox at the gateway
      throw new Rejected(Rejected.Kind.INVALID,
          "Message rejected: " + recipient.name() + " has no endpoint in the directory and cannot receive messages");
    }
    // who sent it is checked by the next stage, NameSender
    return new AddressedMessage(body.request().caller(), message, recipient);
  }
}
