package dk.brobygger.fhir.message;

import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Period;

/**
 * What an appointment request and an appointment response must say beyond the common message
 * rules, so that the hospital can book from the request alone and the outreach team can act on
 * the answer without calling back.
 *
 * <p>A declined appointment is an Appointment with status {@code cancelled} and a
 * cancelationReason. The alternative, a participant with status {@code declined}, says who
 * declined but has no place for why, and FHIR only lets a proposed or cancelled appointment go
 * without a time; cancelled with a reason carries both facts in elements FHIR defines for them.
 */
final class AppointmentRules {

  private AppointmentRules() {}

  /**
   * An appointment request: its focus is the requested ServiceRequest; the one Appointment entry
   * proposes the time (wished-for period), the reason, the citizen and the service.
   */
  static void checkRequest(MessageEntries message, BundleEntryComponent focus, BundleEntryComponent patient) {
    List<BundleEntryComponent> appointments = message.ofType(Appointment.class);
    if (appointments.isEmpty()) {
      throw message.reject("the Bundle has no Appointment entry; an appointment request proposes one");
    }
    if (appointments.size() > 1) {
      throw message.reject("the Bundle has " + appointments.size()
          + " Appointment entries; an appointment request proposes exactly one");
    }
    Appointment appointment = (Appointment) appointments.get(0).getResource();
    if (appointment.getStatus() != AppointmentStatus.PROPOSED) {
      throw message.reject("Appointment.status must be 'proposed', got " + status(appointment));
    }
    checkRequestedPeriod(message, appointment);
    if (!appointment.hasReasonCode() && !appointment.hasReasonReference()) {
      throw message.reject("Appointment has neither reasonCode nor reasonReference; it must give the reason");
    }
    boolean withCitizen = appointment.getParticipant().stream().anyMatch(p -> message.refersTo(p.getActor(), patient));
    if (!withCitizen) {
      throw message.reject("Appointment.participant must include the Patient entry of the Bundle as actor");
    }
    boolean basedOnFocus = appointment.getBasedOn().stream().anyMatch(r -> message.refersTo(r, focus));
    if (!appointment.hasServiceType() && !basedOnFocus) {
      throw message.reject("Appointment must name the requested service: a serviceType, "
          + "or basedOn referencing the focus ServiceRequest");
    }
  }

  /** An appointment response: the focus Appointment is booked with a time, or declined with a reason. */
  static void checkResponse(MessageEntries message, Appointment appointment) {
    AppointmentStatus status = appointment.getStatus();
    if (status == AppointmentStatus.BOOKED) {
      if (!appointment.hasStart()) {
        throw message.reject("Appointment.start is missing; a booked appointment has a time");
      }
      if (!appointment.hasEnd()) {
        throw message.reject("Appointment.end is missing; a booked appointment has a time");
      }
      if (!appointment.getEnd().after(appointment.getStart())) {
        throw message.reject("Appointment.end must be after Appointment.start");
      }
    } else if (status == AppointmentStatus.CANCELLED) {
      if (!appointment.hasCancelationReason()) {
        throw message.reject("Appointment.cancelationReason is missing; a declined appointment says why");
      }
    } else {
      throw message.reject("Appointment.status must be 'booked' or 'cancelled' (declined), got " + status(appointment));
    }
  }

  private static void checkRequestedPeriod(MessageEntries message, Appointment appointment) {
    List<Period> periods = appointment.getRequestedPeriod();
    if (periods.isEmpty()) {
      throw message.reject("Appointment.requestedPeriod is missing; an appointment request states the wished-for period");
    }
    for (int i = 0; i < periods.size(); i++) {
      Period period = periods.get(i);
      if (!period.hasStart() || !period.hasEnd()) {
        throw message.reject("Appointment.requestedPeriod[" + i + "] needs both start and end");
      }
      if (!period.getEnd().after(period.getStart())) {
        throw message.reject("Appointment.requestedPeriod[" + i + "].end must be after its start");
      }
    }
  }

  private static String status(Appointment appointment) {
    return appointment.hasStatus() ? "'" + appointment.getStatus().toCode() + "'" : "none";
  }
}
