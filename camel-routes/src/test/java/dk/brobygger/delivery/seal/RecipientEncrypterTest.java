package dk.brobygger.delivery.seal;

import static dk.brobygger.delivery.seal.SealingFixtures.decryptionKey;
import static dk.brobygger.delivery.seal.SealingFixtures.encryptionPublicKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import dk.brobygger.keys.SampleParty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecipientEncrypterTest {

  /** Any compact JWS will do as plaintext here; the encrypter does not look inside. */
  private static final String JWS = "eyJhbGciOiJFUzI1NiJ9.eyJyZXNvdXJjZVR5cGUiOiJCdW5kbGUifQ.c2lnbmF0dXJl";

  enum Variant {
    P256(Curve.P_256, new P256RecipientEncrypter()),
    X25519(Curve.X25519, new X25519RecipientEncrypter());

    final Curve curve;
    final RecipientEncrypter encrypter;

    Variant(Curve curve, RecipientEncrypter encrypter) {
      this.curve = curve;
      this.encrypter = encrypter;
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void theRecipientDecryptsItWithItsSamplePrivateKeyAndGetsTheJwsBack(Variant variant) throws Exception {
    String jwe = variant.encrypter.encrypt(JWS, encryptionPublicKey(SampleParty.GP, variant.curve));

    JWEObject decrypted = JoseAssertions.decrypt(jwe, decryptionKey(SampleParty.GP, variant.curve));

    assertThat(decrypted.getPayload().toString()).isEqualTo(JWS);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void theHeaderNamesTheRecipientsKeyTheAlgorithmsAndTheNestedJwt(Variant variant) throws Exception {
    JWK recipientKey = encryptionPublicKey(SampleParty.HOSPITAL, variant.curve);

    JWEObject jwe = JWEObject.parse(variant.encrypter.encrypt(JWS, recipientKey));

    assertThat(jwe.getHeader().getKeyID()).isEqualTo(recipientKey.getKeyID());
    assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
    assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
    assertThat(jwe.getHeader().getContentType()).isEqualTo("JWT");
    assertThat(jwe.getHeader().getEphemeralPublicKey().getKeyType()).isEqualTo(recipientKey.getKeyType());
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void anotherRecipientsKeyOnTheSameCurveDoesNotDecryptIt(Variant variant) {
    String jwe = variant.encrypter.encrypt(JWS, encryptionPublicKey(SampleParty.GP, variant.curve));
    JWK addictionCentresKey = decryptionKey(SampleParty.ADDICTION_CENTRE, variant.curve);

    assertThatThrownBy(() -> JoseAssertions.decrypt(jwe, addictionCentresKey)).isInstanceOf(JOSEException.class);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aTamperedCiphertextDoesNotDecrypt(Variant variant) {
    String jwe = variant.encrypter.encrypt(JWS, encryptionPublicKey(SampleParty.GP, variant.curve));
    String tampered = replacePart(jwe, 3, flipFirstCharacter(jwe.split("\\.")[3]));

    assertThatThrownBy(() -> JoseAssertions.decrypt(tampered, decryptionKey(SampleParty.GP, variant.curve)))
        .isInstanceOf(JOSEException.class);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void aTamperedHeaderDoesNotDecryptBecauseItIsAuthenticatedToo(Variant variant) throws Exception {
    String jwe = variant.encrypter.encrypt(JWS, encryptionPublicKey(SampleParty.GP, variant.curve));
    JWEObject original = JWEObject.parse(jwe);
    // Same keys and algorithms, a different cty: the header is the AES-GCM additional data.
    String otherHeader = new JWEHeader.Builder(original.getHeader()).contentType("JOSE").build()
        .toBase64URL().toString();
    String tampered = replacePart(jwe, 0, otherHeader);

    assertThatThrownBy(() -> JoseAssertions.decrypt(tampered, decryptionKey(SampleParty.GP, variant.curve)))
        .isInstanceOf(JOSEException.class);
  }

  @Test
  void eachEncrypterRefusesAKeyOnTheOtherCurve() {
    assertThatThrownBy(() -> new P256RecipientEncrypter().encrypt(JWS, encryptionPublicKey(SampleParty.GP, Curve.X25519)))
        .isInstanceOf(SealingFailed.class)
        .hasMessageContaining("not an EC P-256 key");
    assertThatThrownBy(() -> new X25519RecipientEncrypter().encrypt(JWS, encryptionPublicKey(SampleParty.GP, Curve.P_256)))
        .isInstanceOf(SealingFailed.class)
        .hasMessageContaining("not an X25519 key");
  }

  @Test
  void theAnyCurveEncrypterEncryptsToWhicheverCurveTheRecipientKeyIsOn() throws Exception {
    RecipientEncrypter any = RecipientEncrypter.forAnyCurve();
    for (Curve curve : new Curve[] {Curve.P_256, Curve.X25519}) {
      String jwe = any.encrypt(JWS, encryptionPublicKey(SampleParty.HOSPITAL, curve));

      assertThat(JoseAssertions.decrypt(jwe, decryptionKey(SampleParty.HOSPITAL, curve)).getPayload().toString())
          .isEqualTo(JWS);
    }
  }

  @Test
  void aRecipientKeyWithAPrivatePartIsRefusedRatherThanUsed() {
    JWK privateKey = decryptionKey(SampleParty.GP, Curve.P_256);

    assertThatThrownBy(() -> RecipientEncrypter.forAnyCurve().encrypt(JWS, privateKey))
        .isInstanceOf(SealingFailed.class)
        .hasMessageContaining("private part");
  }

  @Test
  void aSigningKeyIsNotUsedForEncryption() {
    JWK signingKey = SealingFixtures.gatewaySigningKey(Curve.P_256).toPublicJWK();
    assertThat(signingKey.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);

    assertThatThrownBy(() -> RecipientEncrypter.forAnyCurve().encrypt(JWS, signingKey))
        .isInstanceOf(SealingFailed.class)
        .hasMessageContaining("not enc");
  }

  @Test
  void aRecipientKeyWithoutKidIsRefused() {
    ECKey withoutKid = new ECKey.Builder((ECKey) encryptionPublicKey(SampleParty.GP, Curve.P_256)).keyID(null).build();

    assertThatThrownBy(() -> new P256RecipientEncrypter().encrypt(JWS, withoutKid))
        .isInstanceOf(SealingFailed.class)
        .hasMessageContaining("no kid");
  }

  private static String replacePart(String compact, int index, String replacement) {
    String[] parts = compact.split("\\.", -1);
    parts[index] = replacement;
    return String.join(".", parts);
  }

  private static String flipFirstCharacter(String base64url) {
    char first = base64url.charAt(0);
    return (first == 'A' ? 'B' : 'A') + base64url.substring(1);
  }
}
