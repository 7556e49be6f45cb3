package dk.brobygger.delivery;

/**
 * Turns the minimised payload into what goes on the wire: {@link JoseSealing} signs it and encrypts
 * it for the recipient (JWS + JWE).
 */
@FunctionalInterface
public interface Sealing {

  SealedPayload seal(Disclosure disclosure, byte[] payload);
}
