package dk.brobygger.delivery.seal;

import static dk.brobygger.delivery.seal.SealingFixtures.decryptionKey;
import static dk.brobygger.delivery.seal.SealingFixtures.disclosureTo;
import static dk.brobygger.delivery.seal.SealingFixtures.encryptionPublicKey;
import static dk.brobygger.delivery.seal.SealingFixtures.gatewayPublicKeys;
import static dk.brobygger.delivery.seal.SealingFixtures.gatewaySigningKey;
import static dk.brobygger.delivery.seal.SealingFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import dk.brobygger.delivery.JoseSealing;
import dk.brobygger.delivery.SealedPayload;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.keys.SampleParty;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JoseSealingTest {

  private final byte[] referral = referral();

  /** The two pairings the gateway offers: NIST curves throughout, or the 25519 curves throughout. */
  enum Variant {
    ES256_AND_P256(Curve.P_256, Curve.P_256),
    EDDSA_AND_X25519(Curve.Ed25519, Curve.X25519);

    final Curve signingCurve;
    final Curve encryptionCurve;

    Variant(Curve signingCurve, Curve encryptionCurve) {
      this.signingCurve = signingCurve;
      this.encryptionCurve = encryptionCurve;
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void theRecipientDecryptsWithItsPrivateKeyVerifiesWithTheGatewaysKeyAndGetsExactlyThePayload(Variant variant)
      throws Exception {
    JWK recipientKey = encryptionPublicKey(SampleParty.GP, variant.encryptionCurve);
    JWK signingKey = gatewaySigningKey(variant.signingCurve);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(signingKey),
        new RecipientKeyTable(Map.of(SampleParty.GP.id(), recipientKey), Set.of()));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.GP, referral), referral);

    assertThat(sealed.contentType()).isEqualTo("application/jose");
    JWEObject jwe = JoseAssertions.decrypt(ascii(sealed), decryptionKey(SampleParty.GP, variant.encryptionCurve));
    assertThat(jwe.getHeader().getKeyID()).isEqualTo(recipientKey.getKeyID());
    assertThat(jwe.getHeader().getContentType()).isEqualTo("JWT");
    JWSObject jws = JoseAssertions.verified(jwe.getPayload().toString(),
        gatewayPublicKeys().getKeyByKeyId(signingKey.getKeyID()));
    assertThat(jws.getHeader().getKeyID()).isEqualTo(signingKey.getKeyID());
    assertThat(jws.getPayload().toBytes()).isEqualTo(referral);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void ofARecipientsTwoKindsOfKeyTheSealEncryptsToTheOneOfItsSigningKeysSuiteAndStampsThatSuitesAlg(Variant variant)
      throws Exception {
    JWK signingKey = gatewaySigningKey(variant.signingCurve);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(signingKey), bothKindsOfKey(SampleParty.GP));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.GP, referral), referral);

    JWEObject jwe = JoseAssertions.decrypt(ascii(sealed), decryptionKey(SampleParty.GP, variant.encryptionCurve));
    assertThat(jwe.getHeader().getKeyID())
        .isEqualTo(encryptionPublicKey(SampleParty.GP, variant.encryptionCurve).getKeyID());
    JWSObject jws = JWSObject.parse(jwe.getPayload().toString());
    assertThat(jws.getHeader().getAlgorithm())
        .isEqualTo(variant == Variant.EDDSA_AND_X25519 ? JWSAlgorithm.EdDSA : JWSAlgorithm.ES256);
  }

  @Test
  void aRecipientWithOnlyTheOtherKindOfKeyStillGetsAnEncryptedMessage() throws Exception {
    JWK onlyP256 = encryptionPublicKey(SampleParty.GP, Curve.P_256);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(gatewaySigningKey(Curve.Ed25519)),
        new RecipientKeyTable(Map.of(SampleParty.GP.id(), onlyP256), Set.of()));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.GP, referral), referral);

    JWEObject jwe = JoseAssertions.decrypt(ascii(sealed), decryptionKey(SampleParty.GP, Curve.P_256));
    assertThat(jwe.getHeader().getKeyID()).isEqualTo(onlyP256.getKeyID());
  }

  @Test
  void noPartOfTheSealedBodyRevealsTheCitizenWithoutTheRecipientsKey() throws Exception {
    String cpr = "0101801234";
    assertThat(new String(referral, StandardCharsets.UTF_8)).contains(cpr);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(gatewaySigningKey(Curve.P_256)),
        new RecipientKeyTable(Map.of(SampleParty.GP.id(), encryptionPublicKey(SampleParty.GP, Curve.P_256)), Set.of()));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.GP, referral), referral);

    assertThat(JOSEObject.parse(ascii(sealed))).isInstanceOf(JWEObject.class);
    for (String part : ascii(sealed).split("\\.")) {
      assertThat(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1)).doesNotContain(cpr);
    }
  }

  @Test
  void aRecipientWithoutKeyWhoseEntryAllowsSignedOnlyGetsTheVerifiableJws() throws Exception {
    JWK signingKey = gatewaySigningKey(Curve.Ed25519);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(signingKey),
        new RecipientKeyTable(Map.of(), Set.of(SampleParty.HOSPITAL.id())));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.HOSPITAL, referral), referral);

    assertThat(sealed.contentType()).isEqualTo("application/jose");
    assertThat(JOSEObject.parse(ascii(sealed))).isInstanceOf(JWSObject.class);
    JWSObject jws = JoseAssertions.verified(ascii(sealed), gatewayPublicKeys().getKeyByKeyId(signingKey.getKeyID()));
    assertThat(jws.getPayload().toBytes()).isEqualTo(referral);
  }

  @Test
  void aRecipientWithAKeyIsEncryptedToEvenWhenSignedOnlyIsAllowed() throws Exception {
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(gatewaySigningKey(Curve.P_256)),
        new RecipientKeyTable(Map.of(SampleParty.HOSPITAL.id(), encryptionPublicKey(SampleParty.HOSPITAL, Curve.X25519)),
            Set.of(SampleParty.HOSPITAL.id())));

    SealedPayload sealed = sealing.seal(disclosureTo(SampleParty.HOSPITAL, referral), referral);

    assertThat(JOSEObject.parse(ascii(sealed))).isInstanceOf(JWEObject.class);
  }

  @Test
  void aRecipientWithoutKeyAndWithoutPermissionForSignedOnlyIsRefusedBeforeAnythingIsSigned() {
    CountingSigner signer = new CountingSigner(MessageSigner.forKey(gatewaySigningKey(Curve.P_256)));
    // The hospital may receive signed-only data; the addiction centre may not.
    JoseSealing sealing = JoseSealing.create(signer, new RecipientKeyTable(Map.of(), Set.of(SampleParty.HOSPITAL.id())));

    assertThatThrownBy(() -> sealing.seal(disclosureTo(SampleParty.ADDICTION_CENTRE, referral), referral))
        .isInstanceOfSatisfying(SealingRefused.class,
            refused -> assertThat(refused.recipientId()).isEqualTo(SampleParty.ADDICTION_CENTRE.id()))
        .hasMessageContaining("does not allow signed-only");
    assertThat(signer.calls.get()).isZero();
  }

  @Test
  void aKeyUnfitForEncryptionFailsSealingInsteadOfFallingBackToSignedOnly() {
    JWK signingKeyByMistake = gatewaySigningKey(Curve.P_256).toPublicJWK();
    assertThat(signingKeyByMistake.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(gatewaySigningKey(Curve.P_256)),
        new RecipientKeyTable(Map.of(SampleParty.GP.id(), signingKeyByMistake), Set.of(SampleParty.GP.id())));

    assertThatThrownBy(() -> sealing.seal(disclosureTo(SampleParty.GP, referral), referral))
        .isInstanceOf(SealingFailed.class);
  }

  @Test
  void aFailingSignerFailsSealing() {
    MessageSigner broken = new MessageSigner() {
      @Override
      public String sign(byte[] payload) {
        throw new SealingFailed("provider unavailable");
      }

      @Override
      public String keyId() {
        return "broken";
      }

      @Override
      public JWSAlgorithm algorithm() {
        return JWSAlgorithm.ES256;
      }
    };
    JoseSealing sealing = JoseSealing.create(broken,
        new RecipientKeyTable(Map.of(SampleParty.GP.id(), encryptionPublicKey(SampleParty.GP, Curve.P_256)), Set.of()));

    assertThatThrownBy(() -> sealing.seal(disclosureTo(SampleParty.GP, referral), referral))
        .isInstanceOf(SealingFailed.class)
        .hasMessage("provider unavailable");
  }

  @Test
  void theKeyTableRefusesAPrivateRecipientKeyAtConfigurationTime() {
    JWK privateKey = decryptionKey(SampleParty.GP, Curve.X25519);

    assertThatThrownBy(() -> new RecipientKeyTable(Map.of(SampleParty.GP.id(), privateKey), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(SampleParty.GP.id());
  }

  private static String ascii(SealedPayload sealed) {
    return new String(sealed.body(), StandardCharsets.US_ASCII);
  }

  private static final class CountingSigner implements MessageSigner {
    final AtomicInteger calls = new AtomicInteger();
    private final MessageSigner delegate;

    CountingSigner(MessageSigner delegate) {
      this.delegate = delegate;
    }

    @Override
    public String sign(byte[] payload) {
      calls.incrementAndGet();
      return delegate.sign(payload);
    }

    @Override
    public String keyId() {
      return delegate.keyId();
    }

    @Override
    public JWSAlgorithm algorithm() {
      return delegate.algorithm();
    }
  }

  /** The recipient lists both kinds of key, P-256 first, as the sample directory does. */
  private static RecipientKeys bothKindsOfKey(SampleParty party) {
    return new RecipientKeys() {
      @Override
      public List<JWK> encryptionKeys(Recipient recipient) {
        return List.of(encryptionPublicKey(party, Curve.P_256), encryptionPublicKey(party, Curve.X25519));
      }

      @Override
      public boolean allowsSignedOnly(Recipient recipient) {
        return false;
      }
    };
  }
}
