package dk.brobygger.delivery.seal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One Bouncy Castle provider, handed to Nimbus where P-256 is computed. It is not registered in
 * {@link java.security.Security}: the gateway's TLS and hashing keep the JDK's providers, which are
 * faster for them (BC's SHA-256 is about 8x slower than the JDK's intrinsic one).
 */
final class BouncyCastle {

  static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
