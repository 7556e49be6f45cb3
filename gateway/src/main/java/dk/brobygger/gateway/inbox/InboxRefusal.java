package dk.brobygger.gateway.inbox;

import dk.brobygger.gateway.db.Refusal;

/** What the inbox refuses. */
public abstract sealed class InboxRefusal extends Refusal {

  InboxRefusal(String diagnostics) {
    super(diagnostics);
  }

  /** No inbox item with this id, or one the caller's party may not see. */
  public static final class UnknownInboxItem extends InboxRefusal {
    UnknownInboxItem(String id) {
      super("Task/" + id + " is not known");
    }
  }

  /** The change names a version of the item that is no longer the current one. */
  public static final class StaleVersion extends InboxRefusal {
    StaleVersion(String id, long expected) {
      super("Task rejected: version " + expected + " of Task/" + id + " is not the current version");
    }
  }
}
