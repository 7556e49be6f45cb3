package dk.brobygger.delivery;

import java.util.Objects;

/**
 * The exact request body sent to a recipient and its media type. The SHA-256 recorded for the
 * disclosure is taken over {@code body}, so it must not be changed after sealing.
 */
public record SealedPayload(byte[] body, String contentType) {

  public SealedPayload {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(contentType, "contentType");
  }
}
