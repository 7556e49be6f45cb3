package dk.brobygger.gateway.inbox;

import dk.brobygger.gateway.messages.DeliveryAnswers;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.util.Optional;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Appointment.ParticipationStatus;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * The business status an answer gives the delivery Tasks of the message it answers: "answered:
 * booked" or "answered: declined" for an appointment response, "answered: &lt;event&gt;" otherwise.
 */
final class AnswerStatus {

  private AnswerStatus() {}

  static String of(ReceivedMessage answer) {
    return DeliveryAnswers.ANSWERED + focusAppointment(answer).map(AnswerStatus::outcome).orElse(answer.event().code());
  }

  /** A recipient declines a proposed appointment by cancelling it or by declining as participant. */
  private static String outcome(Appointment appointment) {
    AppointmentStatus status = appointment.getStatus();
    if (status == AppointmentStatus.BOOKED) {
      return "booked";
    }
    boolean declinedByParticipant = appointment.getParticipant().stream()
        .anyMatch(p -> p.getStatus() == ParticipationStatus.DECLINED);
    if (status == AppointmentStatus.CANCELLED || declinedByParticipant) {
      return "declined";
    }
    if (status == null || status == AppointmentStatus.NULL) {
      return "unknown";
    }
    return status.toCode();
  }

  private static Optional<Appointment> focusAppointment(ReceivedMessage m) {
    return m.bundle().getEntry().stream()
        .filter(e -> m.focusReference().equals(e.getFullUrl()))
        .map(BundleEntryComponent::getResource)
        .filter(Appointment.class::isInstance)
        .map(Appointment.class::cast)
        .findFirst();
  }
}
