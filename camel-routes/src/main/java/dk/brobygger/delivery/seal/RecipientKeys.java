package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.JWK;
import dk.brobygger.fhir.directory.Recipient;
import java.util.List;

/**
 * What the directory knows about sealing for a recipient. The gateway implements it over its
 * directory store; {@link RecipientKeyTable} is a fixed in-memory one.
 */
public interface RecipientKeys {

  /**
   * The recipient's public encryption keys ({@code use: enc}, each with a kid), the current one of
   * each kind first; empty if it has none. The {@link SealingSuite} picks the one to encrypt to.
   */
  List<JWK> encryptionKeys(Recipient recipient);

  /**
   * Whether the directory entry explicitly says this recipient may receive signed but unencrypted
   * data (a recipient system that cannot decrypt yet, over mutual TLS). Never true by default.
   */
  boolean allowsSignedOnly(Recipient recipient);
}
