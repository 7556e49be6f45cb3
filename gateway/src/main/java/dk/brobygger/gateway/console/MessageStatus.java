package dk.brobygger.gateway.console;

import dk.brobygger.gateway.messages.DeliveryTask;

/** A delivery's state in the nurse's words. */
public final class MessageStatus {

  private MessageStatus() {}

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

  /** A short word for styling and tests: accepted, delivered, failed, cancelled, waiting. */
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
