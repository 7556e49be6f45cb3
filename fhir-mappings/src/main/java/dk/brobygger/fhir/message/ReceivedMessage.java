package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A FHIR message Bundle that passed validation, with what the later stages need pulled out of it.
 * The Bundle is HAPI's mutable model: stages after validation must treat it as read-only and copy
 * it before changing it (minimisation works on a copy).
 *
 * @param messageId MessageHeader.id, the idempotency key recipients de-duplicate by
 * @param event MessageHeader.event (e.g. messages-events|referral)
 * @param destination the identifier in MessageHeader.destination.receiver
 * @param sender the identifier in MessageHeader.sender, when given
 * @param purpose purpose of use for the consent decision (TREAT unless MessageHeader.reason says)
 * @param citizen every identifier of the Patient the message is about; empty only for an
 *     acknowledgement without a Patient
 * @param focusReference fullUrl of the MessageHeader.focus entry; for an acknowledgement without
 *     focus, the fullUrl of the MessageHeader (what its Provenance targets)
 * @param items one per bundle entry except MessageHeader and the sender/receiver Organizations
 * @param bundle the parsed Bundle
 * @param canonicalJson the Bundle re-encoded as FHIR JSON: what is stored and delivered
 * @param answers the message this one answers (MessageHeader.response), if it answers one
 */
public record ReceivedMessage(
    String messageId,
    Code event,
    OrganisationIdentifier destination,
    Optional<OrganisationIdentifier> sender,
    Code purpose,
    List<CitizenIdentifier> citizen,
    String focusReference,
    List<DataItem> items,
    Bundle bundle,
    byte[] canonicalJson,
    Optional<MessageAnswer> answers) {

  public ReceivedMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(purpose, "purpose");
    citizen = List.copyOf(citizen);
    Objects.requireNonNull(focusReference, "focusReference");
    items = List.copyOf(items);
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(canonicalJson, "canonicalJson");
    Objects.requireNonNull(answers, "answers");
  }

  /** This message with MessageHeader.sender set (see {@link HeaderParties#withSender}). */
  ReceivedMessage withSender(OrganisationIdentifier named, Bundle changed, byte[] changedJson) {
    return new ReceivedMessage(messageId, event, destination, Optional.of(named), purpose, citizen, focusReference,
        items, changed, changedJson, answers);
  }
}
