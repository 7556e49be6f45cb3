package dk.brobygger.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.delivery.seal.SealingSuite;
import dk.brobygger.gateway.config.ConfigurationError;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.InsecureSampleTrustSet;
import dk.brobygger.keys.TrustSetLayout;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one key handle: each purpose gets its key, with the algorithm that key carries. */
class GatewayKeysTest {

  private static final JWKSet SAMPLE = InsecureSampleKeys.gatewaySigningKeys();

  @TempDir Path temp;

  private static String kidOn(Curve curve) {
    return SAMPLE.getKeys().stream()
        .filter(key -> key.toJSONObject().get("crv").equals(curve.getName())).findFirst().orElseThrow().getKeyID();
  }

  @Test
  void byDefaultMessagesAndTokensAreSignedEs256WithTheP256KeyAndCheckpointsCarryThatKeyToo() throws Exception {
    GatewayKeys keys = GatewayKeys.load(Optional.empty(), true, SealingSuite.P256);

    assertThat(keys.messageSigner().algorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(keys.messageSigner().keyId()).isEqualTo(kidOn(Curve.P_256));
    assertThat(keys.accessTokenKey().algorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(keys.accessTokenKey().keyId()).isEqualTo(kidOn(Curve.P_256));
    assertThat(keys.checkpointJwsKey().getKeyID()).isEqualTo(kidOn(Curve.P_256));
    JWSObject signed = JWSObject.parse(keys.messageSigner().sign("{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(signed.verify(new ECDSAVerifier((ECKey) keys.publicSigningKeys().getKeyByKeyId(kidOn(Curve.P_256)))))
        .isTrue();
  }

  @Test
  void withEd25519MessagesAreSignedEdDsaWhileTokensStayEs256() {
    GatewayKeys keys = GatewayKeys.load(Optional.empty(), true, SealingSuite.ED25519);

    assertThat(keys.messageSigner().algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    assertThat(keys.messageSigner().keyId()).isEqualTo(kidOn(Curve.Ed25519));
    assertThat(keys.accessTokenKey().algorithm()).isEqualTo(JWSAlgorithm.ES256);
  }

  @Test
  void thePublishedSigningKeysHoldBothKindsAndNoPrivatePart() {
    JWKSet published = GatewayKeys.load(Optional.empty(), true, SealingSuite.P256).publicSigningKeys();

    assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(
        kidOn(Curve.P_256), kidOn(Curve.Ed25519));
    assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
  }

  @Test
  void aKeySetWithoutAnEd25519SigningKeyStopsAnEd25519GatewayNamingTheOption() throws Exception {
    Path dir = temp.resolve("keys");
    InsecureSampleKeys.copyTo(dir);
    JWK p256Only = SealingSuite.P256.signingKey(SAMPLE);
    Files.writeString(dir.resolve(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS),
        new JWKSet(p256Only).toString(false), StandardCharsets.UTF_8);

    assertThat(GatewayKeys.load(Optional.of(dir), true, SealingSuite.P256).messageSigner().algorithm())
        .isEqualTo(JWSAlgorithm.ES256);
    assertThatThrownBy(() -> GatewayKeys.load(Optional.of(dir), true, SealingSuite.ED25519))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("keys.algorithm ed25519")
        .hasMessageContaining("no private Ed25519 key");
  }

  @Test
  void aFreshlyGeneratedSetIsNotTheSampleSignsWithEitherSuiteAndServesTls() throws Exception {
    Path dir = temp.resolve("fresh");
    InsecureSampleTrustSet.generate(dir);

    GatewayKeys p256 = GatewayKeys.load(Optional.of(dir), false, SealingSuite.P256);
    GatewayKeys ed25519 = GatewayKeys.load(Optional.of(dir), false, SealingSuite.ED25519);

    assertThat(p256.insecureSample()).isFalse();
    assertThat(p256.messageSigner().algorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(ed25519.messageSigner().algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    // the generator makes its keys with the JDK's providers: the TLS server must still load them
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
              .setKeyCertOptions(new PemKeyCertOptions()
                  .setCertValue(Buffer.buffer(p256.serverCertificatePem()))
                  .setKeyValue(Buffer.buffer(p256.serverKeyPem()))))
          .requestHandler(request -> request.response().end())
          .listen(0).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(server.actualPort()).isPositive();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSampleKeysAreRefusedOutsideDemoAndDevelopment() {
    assertThatThrownBy(() -> GatewayKeys.load(Optional.empty(), false, SealingSuite.P256))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("INSECURE sample keys");
  }
}
