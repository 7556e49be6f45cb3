package dk.brobygger.delivery.seal;

import static dk.brobygger.delivery.seal.SealingFixtures.gatewayPublicKeys;
import static dk.brobygger.delivery.seal.SealingFixtures.gatewaySigningKey;
import static dk.brobygger.delivery.seal.SealingFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import dk.brobygger.keys.SampleParty;
import org.junit.jupiter.api.Test;

class MessageSignerTest {

  private final byte[] referral = referral();

  @Test
  void anEs256SignatureVerifiesWithTheGatewaysPublicP256KeyAndCarriesTheExactPayload() throws Exception {
    JWK key = gatewaySigningKey(Curve.P_256);
    String jws = MessageSigner.forKey(key).sign(referral);

    JWSObject verified = JoseAssertions.verified(jws, gatewayPublicKeys().getKeyByKeyId(key.getKeyID()));
    assertThat(verified.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(verified.getPayload().toBytes()).isEqualTo(referral);
  }

  @Test
  void anEdDsaSignatureVerifiesWithTheGatewaysPublicEd25519KeyAndCarriesTheExactPayload() throws Exception {
    JWK key = gatewaySigningKey(Curve.Ed25519);
    String jws = MessageSigner.forKey(key).sign(referral);

    JWSObject verified = JoseAssertions.verified(jws, gatewayPublicKeys().getKeyByKeyId(key.getKeyID()));
    assertThat(verified.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    assertThat(verified.getPayload().toBytes()).isEqualTo(referral);
  }

  @Test
  void everySignatureNamesTheSigningKeyAndSaysItSignsFhirJsonInCompactForm() throws Exception {
    for (Curve curve : new Curve[] {Curve.P_256, Curve.Ed25519}) {
      JWK key = gatewaySigningKey(curve);
      MessageSigner signer = MessageSigner.forKey(key);

      JWSObject jws = JWSObject.parse(signer.sign(referral));

      assertThat(signer.keyId()).isEqualTo(key.getKeyID());
      assertThat(jws.getHeader().getKeyID()).isEqualTo(key.getKeyID());
      assertThat(jws.getHeader().getType()).isEqualTo(JOSEObjectType.JOSE);
      assertThat(jws.getHeader().getContentType()).isEqualTo("application/fhir+json");
    }
  }

  @Test
  void forKeyPicksEs256ForAP256KeyAndEdDsaForAnEd25519Key() {
    assertThat(MessageSigner.forKey(gatewaySigningKey(Curve.P_256)).algorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(MessageSigner.forKey(gatewaySigningKey(Curve.Ed25519)).algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
  }

  @Test
  void aSignerIsNotBuiltFromAPublicKey() {
    JWK publicKey = gatewaySigningKey(Curve.P_256).toPublicJWK();

    assertThatThrownBy(() -> MessageSigner.forKey(publicKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no private part");
  }

  @Test
  void aSignerIsNotBuiltFromAnEncryptionKey() {
    JWK encryptionKey = SealingFixtures.decryptionKey(SampleParty.GP, Curve.P_256);
    assertThat(encryptionKey.getKeyUse()).isEqualTo(KeyUse.ENCRYPTION);

    assertThatThrownBy(() -> MessageSigner.forKey(encryptionKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not for signing");
  }

  @Test
  void aSignerIsNotBuiltFromAKeyWithoutKid() throws Exception {
    ECKey withoutKid = new ECKey.Builder((ECKey) gatewaySigningKey(Curve.P_256)).keyID(null).build();

    assertThatThrownBy(() -> MessageSigner.forKey(withoutKid))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no kid");
  }
}
