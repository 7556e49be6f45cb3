package dk.brobygger.gateway.http;

import dk.brobygger.gateway.keys.GatewayKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;

/** HTTPS for the API: the gateway's server certificate, client certificates requested (not required). */
public final class ServerTls {

  private ServerTls() {}

  public static HttpServerOptions apply(HttpServerOptions options, GatewayKeys keys) {
    return options
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(keys.serverCertificatePem()))
            .setKeyValue(Buffer.buffer(keys.serverKeyPem())))
        .setTrustOptions(TrustOptions.wrap(new AnyClientCertificate(keys.clientCertificateAuthority())))
        .setClientAuth(ClientAuth.REQUEST);
  }
}
