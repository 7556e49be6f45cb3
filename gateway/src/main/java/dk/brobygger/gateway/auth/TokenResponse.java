package dk.brobygger.gateway.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The successful token response (RFC 6749 section 5.1, as SMART Backend Services shows it). */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String scope) {

  public static TokenResponse of(IssuedToken token) {
    long seconds = Duration.between(token.issuedAt(), token.expiresAt()).toSeconds();
    return new TokenResponse(token.accessToken(), "bearer", seconds, SmartScope.spell(token.scopes()));
  }

  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", accessToken);
    body.put("token_type", tokenType);
    body.put("expires_in", expiresIn);
    body.put("scope", scope);
    return JSONObjectUtils.toJSONString(body);
  }
}
