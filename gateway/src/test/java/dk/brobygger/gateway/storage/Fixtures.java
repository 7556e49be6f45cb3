package dk.brobygger.gateway.storage;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.db.Refusal;
import dk.brobygger.gateway.http.DomainOutcomes;

import ca.uhn.fhir.context.FhirContext;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/** Small, valid-enough domain objects for storage tests: citizens, recipients, messages, consents. */
public final class Fixtures {

  private Fixtures() {}

  public static CitizenIdentifier cpr(String value) {
    return new CitizenIdentifier(CitizenIdentifier.CPR, value);
  }

  public static CitizenIdentifier replacementCpr(String value) {
    return new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, value);
  }

  /** A recipient with a SOR code equal to its id and an endpoint that is never called. */
  public static Recipient recipient(String id, String kind) {
    return new Recipient(
        id,
        "Test " + id,
        kind,
        List.of(new OrganisationIdentifier(OrganisationIdentifier.SOR, id)),
        Optional.of(URI.create("http://localhost:1/" + id)));
  }

  /** A referral about the citizen to the recipient, as the message reader would hand it over. */
  public static ReceivedMessage referral(String messageId, Recipient to, CitizenIdentifier... citizen) {
    ServiceRequest request = new ServiceRequest();
    request.setSubject(new Reference("urn:uuid:patient-1"));
    return message(messageId, "referral", to, request, "ServiceRequest", citizen);
  }

  /** A recipient's answer to an appointment request: the Appointment booked, cancelled, ... */
  public static ReceivedMessage appointmentResponse(
      String messageId, Recipient to, Appointment.AppointmentStatus status, CitizenIdentifier... citizen) {
    Appointment appointment = new Appointment();
    appointment.setStatus(status);
    appointment.addParticipant().setActor(new Reference("urn:uuid:patient-1"))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    return message(messageId, "appointment-response", to, appointment, "Appointment", citizen);
  }

  /** A recipient's acknowledgement of one of our messages; what it acknowledges is given separately. */
  public static ReceivedMessage acknowledgement(String messageId, Recipient to) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
        .setCode(OperationOutcome.IssueType.INFORMATIONAL);
    return message(messageId, "acknowledgement", to, outcome, "OperationOutcome");
  }

  private static ReceivedMessage message(
      String messageId, String event, Recipient to, Resource focus, String focusType, CitizenIdentifier... citizen) {
    OrganisationIdentifier destination = to.identifiers().get(0);
    Patient patient = new Patient();
    for (CitizenIdentifier id : citizen) {
      patient.addIdentifier(new Identifier().setSystem(id.system()).setValue(id.value()));
    }
    MessageHeader header = new MessageHeader();
    header.setId(messageId);
    header.setEvent(new Coding(Code.MESSAGE_EVENTS, event, null));
    header.addDestination().setReceiver(new Reference().setIdentifier(
        new Identifier().setSystem(destination.system()).setValue(destination.value())));
    header.addFocus(new Reference("urn:uuid:request-1"));
    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.MESSAGE);
    bundle.addEntry().setFullUrl("urn:uuid:header-1").setResource(header);
    bundle.addEntry().setFullUrl("urn:uuid:request-1").setResource(focus);
    List<DataItem> items = new ArrayList<>();
    items.add(new DataItem("urn:uuid:request-1", focusType, Set.of(), Set.of(), Optional.empty()));
    if (citizen.length > 0) {
      bundle.addEntry().setFullUrl("urn:uuid:patient-1").setResource(patient);
      items.add(new DataItem("urn:uuid:patient-1", "Patient", Set.of(), Set.of(), Optional.empty()));
    }
    byte[] json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle)
        .getBytes(StandardCharsets.UTF_8);
    return new ReceivedMessage(
        messageId,
        new Code(Code.MESSAGE_EVENTS, event),
        destination,
        Optional.of(new OrganisationIdentifier(OrganisationIdentifier.SOR, "sender-of-" + messageId)),
        Code.TREATMENT,
        List.of(citizen),
        "urn:uuid:request-1",
        items,
        bundle,
        json,
        // What it answers is handed to the stores as a parameter of its own.
        Optional.empty());
  }

  /** The decision ingress takes on an inbound message: let in without consent, with its reason. */
  public static Decision inbound() {
    return new Decision(
        Decision.Verdict.PERMIT, Optional.empty(), List.of("inbound message: no consent needed"), Set.of(), Set.of());
  }

  public static Decision permit(ConsentVersion basis) {
    return new Decision(
        Decision.Verdict.PERMIT, Optional.of(basis), List.of(basis.reference() + " permits gp"), Set.of(), Set.of());
  }

  public static Decision deny(String reason) {
    return Decision.deny(Optional.empty(), List.of(reason));
  }

  /** A consent about the citizen that permits disclosure to GPs. */
  public static Consent consent(CitizenIdentifier citizen, Consent.ConsentState status) {
    Consent consent = new Consent();
    consent.setStatus(status);
    consent.getScope().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null));
    consent.addCategory().addCoding(new Coding("http://loinc.org", "59284-0", null));
    consent.setPatient(new Reference().setIdentifier(
        new Identifier().setSystem(citizen.system()).setValue(citizen.value())));
    consent.getPolicyRule().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.addActor()
        .setRole(new org.hl7.fhir.r4.model.CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
        .setReference(new Reference().setIdentifier(new Identifier().setSystem(Code.RECIPIENT_KIND).setValue("gp")));
    return consent;
  }

  /** The API's refusal kind for a store's domain outcome, as {@code http/DomainOutcomes} answers it. */
  public static Rejected.Kind answeredAs(Refusal refusal) {
    return DomainOutcomes.rejected(refusal).orElseThrow(() -> new AssertionError("no answer for " + refusal)).kind();
  }
}
