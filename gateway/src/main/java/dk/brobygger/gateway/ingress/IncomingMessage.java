package dk.brobygger.gateway.ingress;

import dk.brobygger.gateway.auth.Caller;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code $process-message} request as it arrived: who sent it, what they said it is, the bytes.
 */
public record IncomingMessage(Caller caller, Optional<String> contentType, byte[] body) {

  public IncomingMessage {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }
}
