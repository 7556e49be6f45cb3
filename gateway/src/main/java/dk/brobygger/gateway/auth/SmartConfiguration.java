package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code /.well-known/smart-configuration}: how a backend service gets a token here.
 * No authorization endpoint is listed, because this gateway has no user-facing launch flows.
 */
public final class SmartConfiguration {

  private SmartConfiguration() {}

  public static String json(String issuer, String tokenUrl) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("issuer", issuer);
    body.put("token_endpoint", tokenUrl);
    body.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
    body.put("token_endpoint_auth_signing_alg_values_supported", ClientAssertionVerifier.ALGORITHMS.stream()
        .map(JWSAlgorithm::getName)
        .sorted()
        .toList());
    body.put("grant_types_supported", List.of(TokenEndpoint.GRANT_TYPE));
    body.put("scopes_supported", scopesSupported());
    body.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2"));
    return JSONObjectUtils.toJSONString(body);
  }

  /** Every scope some role may hold, each once. */
  private static List<String> scopesSupported() {
    return Arrays.stream(Role.values())
        .flatMap(role -> role.allowedScopes().stream())
        .map(SmartScope::toString)
        .distinct()
        .toList();
  }
}
