package dk.brobygger.delivery.seal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import java.util.Objects;

/** Signs a message's payload as a compact JWS with one {@link SigningKey}, ES256 or EdDSA alike. */
final class CompactMessageSigner implements MessageSigner {

  private final SigningKey key;
  private final JWSHeader header;

  CompactMessageSigner(SigningKey key) {
    this.key = Objects.requireNonNull(key, "key");
    // typ JOSE: a compact serialisation (RFC 7515 4.1.9); cty: what the payload is
    this.header = new JWSHeader.Builder(key.algorithm())
        .keyID(key.keyId())
        .type(JOSEObjectType.JOSE)
        .contentType(PAYLOAD_CONTENT_TYPE)
        .build();
  }

  @Override
  public String sign(byte[] payload) {
    JWSObject jws = new JWSObject(header, new Payload(payload));
    try {
      jws.sign(key.signer());
    } catch (JOSEException e) {
      throw new SealingFailed("Signing with " + key.algorithm() + " key " + key.keyId() + " failed", e);
    }
    return jws.serialize();
  }

  @Override
  public String keyId() {
    return key.keyId();
  }

  @Override
  public JWSAlgorithm algorithm() {
    return key.algorithm();
  }
}
