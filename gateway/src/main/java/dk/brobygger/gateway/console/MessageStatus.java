package dk.brobygger.gateway.console;

import dk.brobygger.gateway.console.CitizenMessages.AppointmentAnswer;
import dk.brobygger.gateway.console.CitizenMessages.Delivery;
import dk.brobygger.gateway.messages.DeliveryTask;

/** A delivery's state in the nurse's words. */
public final class MessageStatus {

  private MessageStatus() {}

  public static String danish(Delivery delivery) {
    return delivery.answer().map(MessageStatus::danish).orElseGet(() -> danish(delivery.task()));
  }

  /** An appointment request's answer: the booked time (and where), or that it was declined and why. */
  static String danish(AppointmentAnswer answer) {
    if (!answer.booked()) {
      return "svar: ingen tid, afslået" + answer.about().map(why -> ": " + why).orElse("");
    }
    String when = answer.start().map(start -> answer.end().map(end -> DanishDates.timeRange(start, end))
        .orElseGet(() -> DanishDates.time(start))).orElse("tidspunkt ikke oplyst");
    return "tid bestilt: " + when + answer.about().map(where -> " (" + where + ")").orElse("");
  }

  public static String danish(DeliveryTask task) {
    String answer = task.businessStatus().map(s -> " (svar: " + s + ")").orElse("");
    return switch (task.state()) {
      case REQUESTED -> "modtaget, venter på afsendelse";
      case IN_PROGRESS -> task.attempts() == 0 ? "sendes nu" : "venter, modtageren svarer ikke (forsøg " + task.attempts() + ")";
      case COMPLETED -> "leveret" + answer;
      case FAILED -> "mislykkedes" + task.reason().map(r -> ": " + r).orElse("");
      // the engine's full reason is in the audit log for the privacy officer; the nurse needs the gist
      case CANCELLED -> "annulleret: borgerens samtykke tillader det ikke længere, intet blev sendt";
    };
  }

  /** A short word for styling and tests: accepted, delivered, booked, declined, failed, cancelled, waiting. */
  public static String word(Delivery delivery) {
    return delivery.answer().map(answer -> answer.booked() ? "booked" : "declined").orElseGet(() -> word(delivery.task()));
  }

  public static String word(DeliveryTask task) {
    return switch (task.state()) {
      case REQUESTED -> "accepted";
      case IN_PROGRESS -> "waiting";
      case COMPLETED -> "delivered";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
    };
  }
}
