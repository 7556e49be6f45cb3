package dk.brobygger.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One Bouncy Castle provider instance, passed explicitly where it is used. It is not registered in
 * {@link java.security.Security}: a key generator should not change the JVM's provider order.
 */
final class BouncyCastle {

  static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
