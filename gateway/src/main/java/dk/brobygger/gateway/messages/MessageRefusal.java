package dk.brobygger.gateway.messages;

import dk.brobygger.gateway.db.Refusal;

/** What the message store refuses. */
public abstract sealed class MessageRefusal extends Refusal {

  MessageRefusal(String diagnostics) {
    super(diagnostics);
  }

  /** The message id was already used for another message, another recipient or another party. */
  public static final class MessageIdReused extends MessageRefusal {
    public MessageIdReused(String diagnostics) {
      super(diagnostics);
    }
  }

  /** An answer or acknowledgement of a message this gateway did not deliver. */
  public static final class NotDeliveredHere extends MessageRefusal {
    NotDeliveredHere(String diagnostics) {
      super(diagnostics);
    }
  }

  /** An acknowledgement code other than ok, transient-error or fatal-error. */
  public static final class UnknownAcknowledgementCode extends MessageRefusal {
    UnknownAcknowledgementCode(String code) {
      super("Acknowledgement rejected: response code " + code + " is not ok, transient-error or fatal-error");
    }
  }
}
