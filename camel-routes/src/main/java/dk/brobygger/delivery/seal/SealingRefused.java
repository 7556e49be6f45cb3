package dk.brobygger.delivery.seal;

import java.util.Objects;

/**
 * The recipient may not receive this disclosure in the form we could produce: it has no encryption
 * key in the directory and its entry does not explicitly allow signed-only delivery. Nothing is
 * sent; retrying does not help until the directory changes, so the attempt fails for good.
 */
public final class SealingRefused extends RuntimeException {

  private final String recipientId;

  public SealingRefused(String recipientId, String reason) {
    super("Sealing refused for recipient " + Objects.requireNonNull(recipientId, "recipientId") + ": "
        + Objects.requireNonNull(reason, "reason"), null, false, false);
    this.recipientId = recipientId;
  }

  public String recipientId() {
    return recipientId;
  }
}
