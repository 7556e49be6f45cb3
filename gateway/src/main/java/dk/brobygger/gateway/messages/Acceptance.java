package dk.brobygger.gateway.messages;

import java.util.Objects;

/**
 * The answer to an accepted message.
 *
 * @param taskId the Task that tracks the delivery
 * @param duplicate true when the message id had already been accepted and nothing new was stored
 */
public record Acceptance(String taskId, boolean duplicate) {

  public Acceptance {
    Objects.requireNonNull(taskId, "taskId");
  }
}
