package dk.brobygger.auditproof;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CheckpointTest {

  private static final Checkpoint CHECKPOINT =
      new Checkpoint(8, Rfc6962Vectors.root(8), Instant.parse("2025-03-04T09:15:30Z"), "brobygger.example/audit-log");

  private final CheckpointSigner signer = new CheckpointSigner(TestKeys.LOG_KEY);
  private final CheckpointVerifier verifier = new CheckpointVerifier(TestKeys.TRUSTED);

  @Test
  void aSignedCheckpointVerifiesBackToTheSameCheckpoint() {
    assertThat(verifier.verify(signer.sign(CHECKPOINT))).isEqualTo(CHECKPOINT);
  }

  @Test
  void theJwsHeaderNamesTheKeyTheAlgorithmAndTheCheckpointType() throws Exception {
    JWSHeader header = JWSObject.parse(signer.sign(CHECKPOINT)).getHeader();

    assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(header.getKeyID()).isEqualTo("audit-log-1");
    assertThat(header.getType()).isEqualTo(new JOSEObjectType("brobygger-checkpoint+jws"));
  }

  @Test
  void thePayloadCarriesTheRootAsBase64AndTheTimeAsAnInstant() throws Exception {
    String payload = JWSObject.parse(signer.sign(CHECKPOINT)).getPayload().toString();

    assertThat(payload).isEqualTo("{\"origin\":\"brobygger.example/audit-log\",\"treeSize\":8,\"rootHash\":\""
        + Base64.getEncoder().encodeToString(Rfc6962Vectors.root(8)) + "\",\"issuedAt\":\"2025-03-04T09:15:30Z\"}");
  }

  @Test
  void aCheckpointSignedWithAnUnknownKeyIsRejected() {
    String foreign = new CheckpointSigner(TestKeys.FOREIGN_KEY).sign(CHECKPOINT);

    assertThatThrownBy(() -> verifier.verify(foreign))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint is signed with unknown key someone-else");
  }

  @Test
  void aCheckpointSignedByAnotherKeyUnderTheLogsKidIsRejected() {
    String impostor = new CheckpointSigner(TestKeys.IMPOSTOR_KEY).sign(CHECKPOINT);

    assertThatThrownBy(() -> verifier.verify(impostor))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint signature does not verify with key audit-log-1");
  }

  @Test
  void anAlteredSignatureIsRejected() {
    String jws = signer.sign(CHECKPOINT);
    int middleOfSignature = jws.lastIndexOf('.') + 20;
    char replacement = jws.charAt(middleOfSignature) == 'A' ? 'B' : 'A';
    String altered = jws.substring(0, middleOfSignature) + replacement + jws.substring(middleOfSignature + 1);

    assertThatThrownBy(() -> verifier.verify(altered))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageContaining("does not verify");
  }

  @Test
  void aPayloadSwappedUnderAValidSignatureIsRejected() {
    String jws = signer.sign(CHECKPOINT);
    String other = signer.sign(new Checkpoint(9, Rfc6962Vectors.root(8), CHECKPOINT.issuedAt(), CHECKPOINT.origin()));
    String[] parts = jws.split("\\.");
    String swapped = parts[0] + "." + other.split("\\.")[1] + "." + parts[2];

    assertThatThrownBy(() -> verifier.verify(swapped))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageContaining("does not verify");
  }

  @Test
  void anUnsignedCheckpointWithAlgNoneIsRejected() {
    String unsigned = base64Url("{\"alg\":\"none\",\"kid\":\"audit-log-1\",\"typ\":\"brobygger-checkpoint+jws\"}")
        + "." + base64Url(CHECKPOINT.toJson()) + ".";

    assertThatThrownBy(() -> verifier.verify(unsigned))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageStartingWith("checkpoint is not a signed compact JWS");
  }

  @Test
  void anHmacCheckpointKeyedWithAnyByteStringIsRejected() throws JOSEException {
    JWSObject hmac = new JWSObject(
        new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("audit-log-1").type(CheckpointSigner.TYPE).build(),
        new Payload(CHECKPOINT.toJson()));
    hmac.sign(new MACSigner(new byte[32]));

    assertThatThrownBy(() -> verifier.verify(hmac.serialize()))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint algorithm HS256 is not accepted, only ES256");
  }

  @Test
  void aJwsOfAnotherTypeSignedWithTheLogKeyIsNotACheckpoint() throws JOSEException {
    String otherType = signWithLogKey(JOSEObjectType.JWT, CHECKPOINT.toJson());

    assertThatThrownBy(() -> verifier.verify(otherType))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("JWS type JWT is not a checkpoint");
  }

  @Test
  void aValidlySignedPayloadThatIsNotACheckpointIsRejected() throws JOSEException {
    String noRoot = signWithLogKey(CheckpointSigner.TYPE,
        "{\"origin\":\"brobygger.example/audit-log\",\"treeSize\":8,\"issuedAt\":\"2025-03-04T09:15:30Z\"}");
    String extraField = signWithLogKey(CheckpointSigner.TYPE, CHECKPOINT.toJson().replace("{", "{\"admin\":true,"));
    String negativeSize = signWithLogKey(CheckpointSigner.TYPE, CHECKPOINT.toJson().replace("\"treeSize\":8", "\"treeSize\":-1"));
    String shortRoot = signWithLogKey(CheckpointSigner.TYPE, CHECKPOINT.toJson()
        .replace(Base64.getEncoder().encodeToString(Rfc6962Vectors.root(8)), Base64.getEncoder().encodeToString(new byte[31])));
    String duplicateSize = signWithLogKey(CheckpointSigner.TYPE, CHECKPOINT.toJson().replace("}", ",\"treeSize\":9}"));

    assertThatThrownBy(() -> verifier.verify(noRoot))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint payload lacks a base64 \"rootHash\"");
    assertThatThrownBy(() -> verifier.verify(extraField))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint payload has an unexpected field \"admin\"");
    assertThatThrownBy(() -> verifier.verify(negativeSize))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint payload lacks a non-negative integer \"treeSize\"");
    assertThatThrownBy(() -> verifier.verify(shortRoot))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint \"rootHash\" must be 32 bytes, got 31");
    assertThatThrownBy(() -> verifier.verify(duplicateSize))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint payload is not JSON");
  }

  @Test
  void garbageIsNotACheckpoint() {
    assertThatThrownBy(() -> verifier.verify("not.a.jws"))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageStartingWith("checkpoint is not a signed compact JWS");
    assertThatThrownBy(() -> verifier.verify(""))
        .isInstanceOf(InvalidCheckpoint.class).hasMessage("checkpoint is missing");
  }

  @Test
  void theSignerRefusesKeysThatCannotSignCheckpoints() throws JOSEException {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("big").generate();
    ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();

    assertThatThrownBy(() -> new CheckpointSigner(TestKeys.LOG_KEY.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private");
    assertThatThrownBy(() -> new CheckpointSigner(p384))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    assertThatThrownBy(() -> new CheckpointSigner(noKid))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kid");
  }

  @Test
  void aCheckpointKeepsItsRootHashWhateverTheCallerDoesWithTheArrays() {
    byte[] root = Rfc6962Vectors.root(8).clone();
    Checkpoint checkpoint = new Checkpoint(8, root, CHECKPOINT.issuedAt(), CHECKPOINT.origin());
    root[0] ^= 1;
    checkpoint.rootHash()[1] ^= 1;

    assertThat(checkpoint).isEqualTo(CHECKPOINT);
  }

  private static String signWithLogKey(JOSEObjectType type, String payload) throws JOSEException {
    JWSObject jws = new JWSObject(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("audit-log-1").type(type).build(), new Payload(payload));
    jws.sign(new ECDSASigner(TestKeys.LOG_KEY));
    return jws.serialize();
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
  }
}
