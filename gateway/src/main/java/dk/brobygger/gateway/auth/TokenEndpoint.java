package dk.brobygger.gateway.auth;

import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The token endpoint of SMART Backend Services: a client proves who it is with a signed client
 * assertion and gets a short-lived access token for the scopes its role allows. Only the
 * {@code client_credentials} grant with {@code private_key_jwt} client authentication exists here.
 */
public final class TokenEndpoint {

  public static final String GRANT_TYPE = "client_credentials";
  public static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final ClientAssertionVerifier assertions;
  private final AccessTokens tokens;

  public TokenEndpoint(ClientAssertionVerifier assertions, AccessTokens tokens) {
    this.assertions = Objects.requireNonNull(assertions, "assertions");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /**
   * @param form the decoded {@code application/x-www-form-urlencoded} body, each name with its values
   * @throws AuthenticationRefused with the OAuth error to answer (HTTP 400 or 401)
   * @throws dk.brobygger.fhir.Failed when the replay store or signing fails (HTTP 5xx)
   */
  public TokenResponse issue(Map<String, List<String>> form) {
    String grantType = single(form, "grant_type")
        .orElseThrow(() -> new AuthenticationRefused(OAuthError.INVALID_REQUEST, "grant_type is missing"));
    if (!GRANT_TYPE.equals(grantType)) {
      throw new AuthenticationRefused(OAuthError.UNSUPPORTED_GRANT_TYPE,
          "grant_type must be " + GRANT_TYPE + ", not " + grantType);
    }
    // No client authentication, or another kind of it, is invalid_client (RFC 6749 section 5.2).
    String assertionType = single(form, "client_assertion_type")
        .orElseThrow(() -> new AuthenticationRefused(OAuthError.INVALID_CLIENT,
            "client_assertion_type is missing; clients authenticate with private_key_jwt"));
    if (!CLIENT_ASSERTION_TYPE.equals(assertionType)) {
      throw new AuthenticationRefused(OAuthError.INVALID_CLIENT, "client_assertion_type must be " + CLIENT_ASSERTION_TYPE);
    }
    String assertion = single(form, "client_assertion")
        .orElseThrow(() -> new AuthenticationRefused(OAuthError.INVALID_CLIENT, "client_assertion is missing"));
    Optional<String> scope = single(form, "scope");

    // authenticate first: an unknown caller learns nothing about scopes
    RegisteredClient client = assertions.verify(assertion);
    return TokenResponse.of(tokens.issue(client, scope.orElse("")));
  }

  /**
   * A parameter's one value. Empty values count as absent, and a repeated parameter is refused
   * (RFC 6749 section 3.2), so no two parts of the gateway can read different values.
   */
  private static Optional<String> single(Map<String, List<String>> form, String name) {
    List<String> values = form.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new AuthenticationRefused(OAuthError.INVALID_REQUEST, name + " must not be repeated");
    }
    return values.stream().filter(value -> value != null && !value.isEmpty()).findFirst();
  }
}
