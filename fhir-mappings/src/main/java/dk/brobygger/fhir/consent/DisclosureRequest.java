package dk.brobygger.fhir.consent;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The question a consent decision answers: may these data about this citizen go to this recipient
 * for this purpose, now?
 *
 * @param citizen every identifier the citizen is known by (a consent about any of them counts)
 * @param recipient the directory entry the data would go to
 * @param purpose purpose of use (v3-ActReason), TREAT for referrals
 * @param items the resources the message carries, focus included
 * @param focusReference the {@link DataItem#reference()} of the message focus; if the focus is
 *     excluded the whole disclosure is denied
 * @param at the moment of the decision (consent validity is checked against it)
 */
public record DisclosureRequest(
    List<CitizenIdentifier> citizen,
    Recipient recipient,
    Code purpose,
    List<DataItem> items,
    String focusReference,
    Instant at) {

  public DisclosureRequest {
    citizen = List.copyOf(citizen);
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(purpose, "purpose");
    items = List.copyOf(items);
    Objects.requireNonNull(focusReference, "focusReference");
    Objects.requireNonNull(at, "at");
  }
}
