package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import dk.brobygger.keys.InsecureSampleKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WellKnownDocumentsTest {

  @Test
  void theSmartConfigurationDescribesBackendServicesWithSignedAssertions() throws Exception {
    Map<String, Object> config = JSONObjectUtils.parse(
        SmartConfiguration.json("https://gateway.example", "https://gateway.example/auth/token"));

    assertThat(config).containsEntry("token_endpoint", "https://gateway.example/auth/token");
    assertThat(config.get("token_endpoint_auth_methods_supported")).asInstanceOf(LIST).containsExactly("private_key_jwt");
    assertThat(config.get("token_endpoint_auth_signing_alg_values_supported")).asInstanceOf(LIST)
        .contains("ES256", "ES384", "RS384", "EdDSA").doesNotContain("none", "HS256", "RS256");
    assertThat(config.get("grant_types_supported")).asInstanceOf(LIST).containsExactly("client_credentials");
    assertThat(config.get("capabilities")).asInstanceOf(LIST)
        .containsExactlyInAnyOrder("client-confidential-asymmetric", "permission-v2");
    assertThat(config.get("scopes_supported")).asInstanceOf(LIST).containsExactlyInAnyOrder(
        "system/Consent.cruds", "system/MessageHeader.c", "system/Task.rus", "system/Patient.crs", "system/Task.rs",
        "system/Consent.rs", "system/AuditEvent.rs", "system/Endpoint.rus");
  }

  @Test
  void thePublishedKeySetHasThePublicKeysAndNoPrivatePart() throws Exception {
    JWKSet signing = InsecureSampleKeys.gatewaySigningKeys();

    String json = Jwks.publicJson(signing);

    JWKSet published = JWKSet.parse(json);
    assertThat(published.getKeys()).map(JWK::getKeyID)
        .containsExactlyElementsOf(signing.getKeys().stream().map(JWK::getKeyID).toList());
    assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
    assertThat(json).doesNotContain("\"d\"");
  }
}
