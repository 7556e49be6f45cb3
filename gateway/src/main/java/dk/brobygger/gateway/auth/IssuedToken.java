package dk.brobygger.gateway.auth;

import java.time.Instant;
import java.util.List;

/** An access token as issued, with what the token response needs to say about it. */
public record IssuedToken(String accessToken, Instant issuedAt, Instant expiresAt, List<SmartScope> scopes) {

  public IssuedToken {
    scopes = List.copyOf(scopes);
  }
}
