package dk.brobygger.gateway.outbox;

import dk.brobygger.gateway.db.Refusal;
import java.util.List;

/** What an operator's re-run of a delivery is refused with. */
public abstract sealed class RerunRefusal extends Refusal {

  RerunRefusal(String diagnostics) {
    super(diagnostics);
  }

  /** No delivery Task with this id among the messages the caller sent. */
  public static final class UnknownTask extends RerunRefusal {
    UnknownTask(String taskId) {
      super("Task/" + taskId + " does not exist");
    }
  }

  /** Only a failed or cancelled delivery can be run again. */
  public static final class NotRerunnable extends RerunRefusal {
    NotRerunnable(String taskId, TaskState state) {
      super("Re-run rejected: Task/" + taskId + " is " + state.fhirCode()
          + "; only a failed or cancelled delivery can be run again");
    }
  }

  /** The recipient has left the directory since the message was accepted. */
  public static final class RecipientGone extends RerunRefusal {
    RecipientGone(String recipientId) {
      super("Re-run rejected: recipient " + recipientId + " is no longer in the directory");
    }
  }

  /** The same consent re-check every attempt makes no longer permits this delivery. */
  public static final class ConsentNoLongerPermits extends RerunRefusal {
    ConsentNoLongerPermits(List<String> reasons) {
      super("Re-run refused: consent no longer permits this delivery: " + String.join("; ", reasons));
    }
  }

  /** Another re-run, or another instance, changed the Task first. */
  public static final class ChangedMeanwhile extends RerunRefusal {
    ChangedMeanwhile(String taskId) {
      super("Re-run rejected: Task/" + taskId + " changed meanwhile");
    }
  }
}
