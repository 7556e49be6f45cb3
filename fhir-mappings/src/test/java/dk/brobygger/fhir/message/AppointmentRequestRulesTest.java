package dk.brobygger.fhir.message;

import static dk.brobygger.fhir.message.ReadingFixtures.assertInvalid;
import static dk.brobygger.fhir.message.ReadingFixtures.header;
import static dk.brobygger.fhir.message.ReadingFixtures.read;
import static dk.brobygger.fhir.message.ReadingFixtures.readChanged;
import static dk.brobygger.fhir.message.ReadingFixtures.remove;
import static dk.brobygger.fhir.message.ReadingFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.util.Set;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class AppointmentRequestRulesTest {

  private static final String SAMPLE = "appointment-request-to-hospital.json";
  private static final String SERVICE_REQUEST = "urn:uuid:3a9d5f7b-1c2e-4f8a-b6d4-5e7c9a1b3d20";
  private static final String APPOINTMENT = "urn:uuid:6e8a0c2e-4f6a-4b8c-9d0e-2f4a6b8c0d35";
  private static final String PATIENT = "urn:uuid:5c8e2a4d-7b9f-4e1a-8c3d-6f2b4a9e1c73";
  private static final String HOSPITAL = "urn:uuid:c3b8d5f2-9e4a-4b7c-8d6f-2a1e3b4c5d68";
  private static final String REJECTED = "Appointment request rejected: ";

  private static Appointment appointment(Bundle bundle) {
    return resource(bundle, APPOINTMENT, Appointment.class);
  }

  private static void assertRejected(Consumer<Bundle> mutation, String diagnostics) {
    assertInvalid(SAMPLE, mutation, REJECTED + diagnostics);
  }

  @Test
  void theSampleRequestFromTheOutreachTeamToTheHospitalIsRead() {
    ReceivedMessage message = read(SAMPLE);

    assertThat(message.event()).isEqualTo(MessageEvent.APPOINTMENT_REQUEST.code());
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "663101000016005"));
    assertThat(message.focusReference()).isEqualTo(SERVICE_REQUEST);
    assertThat(message.answers()).isEmpty();
    assertThat(message.items()).filteredOn(i -> i.reference().equals(APPOINTMENT))
        .singleElement()
        .extracting(DataItem::codes)
        .isEqualTo(Set.of(new Code("http://snomed.info/sct", "127783003")));
  }

  @Test
  void aRequestWithoutAnAppointmentIsRejected() {
    assertRejected(b -> remove(b, APPOINTMENT), "the Bundle has no Appointment entry; an appointment request proposes one");
  }

  @Test
  void aRequestWithTwoAppointmentsIsRejected() {
    assertRejected(b -> b.addEntry().setFullUrl("urn:uuid:44444444-4444-4444-8444-444444444444")
            .setResource(appointment(b).copy()),
        "the Bundle has 2 Appointment entries; an appointment request proposes exactly one");
  }

  @Test
  void aRequestForAnAlreadyBookedAppointmentIsRejected() {
    assertRejected(b -> appointment(b).setStatus(AppointmentStatus.BOOKED), "Appointment.status must be 'proposed', got 'booked'");
  }

  @Test
  void anAppointmentWithoutStatusIsRejected() {
    assertRejected(b -> appointment(b).setStatus(null), "Appointment.status must be 'proposed', got none");
  }

  @Test
  void aRequestWithoutAWishedForPeriodIsRejected() {
    assertRejected(b -> appointment(b).getRequestedPeriod().clear(),
        "Appointment.requestedPeriod is missing; an appointment request states the wished-for period");
  }

  @Test
  void aWishedForPeriodWithoutEndIsRejected() {
    assertRejected(b -> appointment(b).getRequestedPeriodFirstRep().setEndElement(null),
        "Appointment.requestedPeriod[0] needs both start and end");
  }

  @Test
  void aWishedForPeriodThatEndsBeforeItStartsIsRejected() {
    assertRejected(b -> appointment(b).addRequestedPeriod()
            .setStartElement(new DateTimeType("2025-03-24T12:00:00+01:00"))
            .setEndElement(new DateTimeType("2025-03-24T08:00:00+01:00")),
        "Appointment.requestedPeriod[1].end must be after its start");
  }

  @Test
  void aRequestWithoutAReasonIsRejected() {
    assertRejected(b -> appointment(b).getReasonReference().clear(),
        "Appointment has neither reasonCode nor reasonReference; it must give the reason");
  }

  @Test
  void aReasonGivenAsACodeIsEnough() {
    ReceivedMessage message = readChanged(SAMPLE, b -> {
      appointment(b).getReasonReference().clear();
      appointment(b).addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", "J44.9", null)));
    });

    assertThat(message.focusReference()).isEqualTo(SERVICE_REQUEST);
  }

  @Test
  void anAppointmentWithoutTheCitizenAsParticipantIsRejected() {
    assertRejected(b -> appointment(b).getParticipant().clear(),
        "Appointment.participant must include the Patient entry of the Bundle as actor");
  }

  @Test
  void aParticipantNamedOnlyByDisplayIsNotTheCitizen() {
    assertRejected(b -> appointment(b).getParticipantFirstRep().setActor(new Reference().setDisplay("Jens")),
        "Appointment.participant must include the Patient entry of the Bundle as actor");
  }

  @Test
  void theCitizenMayBeAParticipantByRelativeReference() {
    ReceivedMessage message = readChanged(SAMPLE,
        b -> appointment(b).getParticipantFirstRep().setActor(new Reference("Patient/5c8e2a4d-7b9f-4e1a-8c3d-6f2b4a9e1c73")));

    assertThat(message.items()).extracting(DataItem::reference).contains(PATIENT, APPOINTMENT);
  }

  @Test
  void anAppointmentThatNamesNoServiceIsRejected() {
    assertRejected(b -> {
      appointment(b).getServiceType().clear();
      appointment(b).getBasedOn().clear();
    }, "Appointment must name the requested service: a serviceType, or basedOn referencing the focus ServiceRequest");
  }

  @Test
  void basedOnSomethingElseThanTheFocusDoesNotNameTheService() {
    assertRejected(b -> {
      appointment(b).getServiceType().clear();
      appointment(b).getBasedOnFirstRep().setReference(HOSPITAL);
    }, "Appointment must name the requested service: a serviceType, or basedOn referencing the focus ServiceRequest");
  }

  @Test
  void theServiceMayBeNamedByBasedOnAlone() {
    assertThat(readChanged(SAMPLE, b -> appointment(b).getServiceType().clear()).event())
        .isEqualTo(MessageEvent.APPOINTMENT_REQUEST.code());
  }

  @Test
  void theServiceMayBeNamedByServiceTypeAlone() {
    assertThat(readChanged(SAMPLE, b -> appointment(b).getBasedOn().clear()).event())
        .isEqualTo(MessageEvent.APPOINTMENT_REQUEST.code());
  }

  @Test
  void theFocusOfARequestIsTheServiceRequestNotTheAppointment() {
    assertRejected(b -> header(b).getFocusFirstRep().setReference(APPOINTMENT),
        "MessageHeader.focus must be a ServiceRequest, got Appointment");
  }
}
