package dk.brobygger.delivery.seal;

import dk.brobygger.delivery.JoseSealing;
import static dk.brobygger.delivery.seal.SealingFixtures.disclosureTo;
import static dk.brobygger.delivery.seal.SealingFixtures.encryptionPublicKey;
import static dk.brobygger.delivery.seal.SealingFixtures.gatewayPublicKeys;
import static dk.brobygger.delivery.seal.SealingFixtures.gatewaySigningKey;
import static dk.brobygger.delivery.seal.SealingFixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.PlainObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleRecipientOpenerTest {

  private final byte[] referral = referral();
  private final SampleRecipientOpener gp =
      new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(SampleParty.GP), gatewayPublicKeys());

  @Test
  void itOpensAMessageSealedToEitherCurveAndNamesTheKeysThatWereUsed() {
    for (Curve curve : new Curve[] {Curve.P_256, Curve.X25519}) {
      JWK recipientKey = encryptionPublicKey(SampleParty.GP, curve);
      JWK signingKey = gatewaySigningKey(curve == Curve.P_256 ? Curve.P_256 : Curve.Ed25519);

      OpenedMessage opened = gp.open(sealedFor(SampleParty.GP, signingKey, Map.of(SampleParty.GP.id(), recipientKey)));

      assertThat(opened.payload()).isEqualTo(referral);
      assertThat(opened.signingKeyId()).isEqualTo(signingKey.getKeyID());
      assertThat(opened.encryptionKeyId()).contains(recipientKey.getKeyID());
      assertThat(opened.wasEncrypted()).isTrue();
    }
  }

  @Test
  void itOpensASignedOnlyMessageAndSaysItWasNotEncrypted() {
    SampleRecipientOpener hospital = new SampleRecipientOpener(new JWKSet(), gatewayPublicKeys());

    OpenedMessage opened = hospital.open(sealedFor(SampleParty.HOSPITAL, gatewaySigningKey(Curve.P_256), Map.of()));

    assertThat(opened.payload()).isEqualTo(referral);
    assertThat(opened.wasEncrypted()).isFalse();
  }

  @Test
  void aMessageSealedForAnotherRecipientIsRejected() {
    byte[] forHospital = sealedFor(SampleParty.HOSPITAL, gatewaySigningKey(Curve.P_256),
        Map.of(SampleParty.HOSPITAL.id(), encryptionPublicKey(SampleParty.HOSPITAL, Curve.P_256)));

    assertThatThrownBy(() -> gp.open(forHospital))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.UNAUTHENTICATED))
        .hasMessageContaining("not encrypted to a key of this recipient");
  }

  @Test
  void aTamperedMessageIsRejected() {
    byte[] sealed = sealedFor(SampleParty.GP, gatewaySigningKey(Curve.Ed25519),
        Map.of(SampleParty.GP.id(), encryptionPublicKey(SampleParty.GP, Curve.X25519)));
    String[] parts = new String(sealed, StandardCharsets.US_ASCII).split("\\.");
    parts[3] = (parts[3].charAt(0) == 'A' ? "B" : "A") + parts[3].substring(1);
    byte[] tampered = String.join(".", parts).getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> gp.open(tampered))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("does not decrypt");
  }

  @Test
  void aMessageSignedByAnUnknownKeyIsRejectedEvenWhenItClaimsTheGatewaysKid() throws Exception {
    String gatewayKid = gatewaySigningKey(Curve.P_256).getKeyID();
    ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(gatewayKid).generate();
    JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(gatewayKid).build(),
        new Payload(referral));
    forged.sign(new ECDSASigner(impostor));

    assertThatThrownBy(() -> gp.open(forged.serialize().getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("signature does not verify");
  }

  @Test
  void anUnsignedMessageIsRejected() {
    byte[] unsecured = new PlainObject(new Payload(referral)).serialize()
        .getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> gp.open(unsecured))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("not signed");
  }

  @Test
  void plainFhirJsonIsRejectedAsMalformed() {
    assertThatThrownBy(() -> gp.open(referral))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED));
  }

  private byte[] sealedFor(SampleParty recipient, JWK signingKey, Map<String, JWK> recipientKeys) {
    JoseSealing sealing = JoseSealing.create(MessageSigner.forKey(signingKey),
        new RecipientKeyTable(recipientKeys, recipientKeys.isEmpty() ? Set.of(recipient.id()) : Set.of()));
    return sealing.seal(disclosureTo(recipient, referral), referral).body();
  }
}
