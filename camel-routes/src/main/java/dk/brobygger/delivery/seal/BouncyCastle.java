package dk.brobygger.delivery.seal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The gateway's one Bouncy Castle provider, handed to Nimbus wherever P-256 (and RSA, for client
 * assertions) is computed: message seals, access tokens, token and assertion checks. The key
 * generator uses the JDK's providers and needs none. It is not registered in
 * {@link java.security.Security}: the gateway's TLS and hashing keep the JDK's providers, which are
 * faster for them (BC's SHA-256 is about 8x slower than the JDK's intrinsic one).
 */
public final class BouncyCastle {

  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
