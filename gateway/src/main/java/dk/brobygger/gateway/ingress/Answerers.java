package dk.brobygger.gateway.ingress;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.messages.TaskStore;

/** Only the system a message was delivered to may answer or acknowledge it. */
public final class Answerers {

  private final TaskStore tasks;

  public Answerers(TaskStore tasks) {
    this.tasks = tasks;
  }

  public void requireRecipientOf(String messageId, Caller caller) {
    boolean recipient = tasks.forMessage(messageId).stream().anyMatch(task -> task.recipientId().equals(caller.id()));
    if (!recipient) {
      throw new Rejected(Rejected.Kind.FORBIDDEN,
          "Message rejected: it answers message " + messageId + ", which was not delivered to " + caller.id());
    }
  }
}
