package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;

/** The GP's and the hospital's systems as one WireMock server that accepts every delivery (200). */
final class AcceptingRecipients {

  private AcceptingRecipients() {}

  /** Started on a free port; the caller stops it. */
  static WireMockServer start() {
    WireMockServer recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/hospital")).willReturn(aResponse().withStatus(200)));
    return recipients;
  }

  /** The directory endpoints that point the GP and the hospital at {@code recipients}. */
  static Map<String, String> endpoints(WireMockServer recipients) {
    String base = "http://localhost:" + recipients.port();
    return Map.of("laegehuset-sydfyn", base + "/gp", "svendborg-sygehus", base + "/hospital");
  }
}
