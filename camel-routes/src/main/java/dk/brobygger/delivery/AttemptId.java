package dk.brobygger.delivery;

/**
 * One attempt of one outbox row: what a withdrawal names when it asks the instance sending it to
 * abort its HTTP call.
 */
public record AttemptId(long outboxId, int attempt) {

  static AttemptId of(Disclosure disclosure) {
    return new AttemptId(disclosure.outboxId(), disclosure.attempt());
  }
}
