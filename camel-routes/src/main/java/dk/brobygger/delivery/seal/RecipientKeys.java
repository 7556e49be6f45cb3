package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.JWK;
import dk.brobygger.fhir.directory.Recipient;
import java.util.Optional;

/**
 * What the directory knows about sealing for a recipient. The gateway implements it over its
 * directory store; {@link RecipientKeyTable} is a fixed in-memory one.
 */
public interface RecipientKeys {

  /** The recipient's public encryption key ({@code use: enc}, with a kid), if it has one. */
  Optional<JWK> encryptionKey(Recipient recipient);

  /**
   * Whether the directory entry explicitly says this recipient may receive signed but unencrypted
   * data (a recipient system that cannot decrypt yet, over mutual TLS). Never true by default.
   */
  boolean allowsSignedOnly(Recipient recipient);
}
