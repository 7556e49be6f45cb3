package dk.brobygger.gateway.http;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for client certificates: the handshake accepts any chain (it still proves the client
 * holds the leaf's private key), and {@code ClientCertificates} decides after it, where a refusal
 * is answered with an OperationOutcome and audited instead of silently breaking the connection.
 */
final class AnyClientCertificate implements X509TrustManager {

  private final X509Certificate authority;

  AnyClientCertificate(X509Certificate authority) {
    this.authority = authority;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    // decided by ClientCertificates after the handshake
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager is for the server side only");
  }

  /** Tells clients which CA their certificate must come from. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {authority};
  }
}
