package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in to the console with OpenID Connect (authorization code + PKCE) against a real OIDC
 * server started here: NAV's mock-oauth2-server (discovery, authorize, token and JWKS endpoints,
 * signed ID tokens, PKCE), the one the build facts list as served.
 */
@EndToEndTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOidcSignInTest {

  private static final String ISSUER_ID = "svendborg-kommune";

  @TempDir static Path temp;
  private final MockOAuth2Server identityProvider = new MockOAuth2Server();
  private final HttpClient toProvider = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private TestGateway gateway;

  @BeforeAll
  void start() {
    identityProvider.start(0);
    gateway = TestGateway.start(temp.resolve("data"), Map.of(),
        "--console.oidc.issuer", identityProvider.issuerUrl(ISSUER_ID).toString(),
        "--console.oidc.client-id", "brobygger-console",
        "--console.oidc.client-secret", "console-secret",
        "--console.oidc.role-claim", "brobygger_role",
        "--console.oidc.party-claim", "brobygger_team");
  }

  @AfterAll
  void stop() {
    gateway.close();
    identityProvider.shutdown();
  }

  @Test
  void aNurseSignsInWithAuthorizationCodeAndPkce() {
    identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "nurse-7", "JWT", null,
        Map.of("name", "Nina Nielsen", "brobygger_role", "nurse", "brobygger_team", "svendborg-gadesygepleje"), 3600));
    ConsoleClient browser = new ConsoleClient(gateway.gateway().baseUrl());
    assertThat(browser.get("/console/log-ind").body()).contains("Log ind med kommunens login");

    HttpResponse<String> toIdp = browser.get("/console/log-ind/oidc");
    assertThat(toIdp.statusCode()).isEqualTo(303);
    URI authorize = URI.create(toIdp.headers().firstValue("Location").orElseThrow());
    assertThat(authorize.toString()).startsWith(identityProvider.issuerUrl(ISSUER_ID).toString())
        .contains("code_challenge_method=S256").contains("code_challenge=").contains("state=")
        .contains("response_type=code").contains("scope=openid").contains("nonce=");

    URI back = URI.create(providerAnswer(authorize));
    assertThat(back.getPath()).isEqualTo("/console/log-ind/oidc/svar");
    HttpResponse<String> signedIn = browser.get(back.getPath() + "?" + back.getRawQuery());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue("/console");

    HttpResponse<String> home = browser.get("/console");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("Nina Nielsen", "Gadesygeplejerske", "svendborg-gadesygepleje");
  }

  @Test
  void aPersonWithoutAConsoleRoleIsRefusedAndTheRefusalAudited() {
    identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "visitor-1", "JWT", null,
        Map.of("name", "Vera Viser", "brobygger_team", "svendborg-gadesygepleje"), 3600));
    ConsoleClient browser = new ConsoleClient(gateway.gateway().baseUrl());
    URI back = URI.create(providerAnswer(URI.create(browser.get("/console/log-ind/oidc").headers().firstValue("Location").orElseThrow())));
    HttpResponse<String> refused = browser.get(back.getPath() + "?" + back.getRawQuery());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Log ind mislykkedes");
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry)
        .contains("sign-in refused").contains("brobygger_role"));
  }

  @Test
  void anAnswerWithAnotherStateIsRefused() {
    // no person enqueued: the provider takes one only when the code is exchanged, which never happens here
    ConsoleClient browser = new ConsoleClient(gateway.gateway().baseUrl());
    URI back = URI.create(providerAnswer(URI.create(browser.get("/console/log-ind/oidc").headers().firstValue("Location").orElseThrow())));
    String forged = back.getRawQuery().replaceAll("state=[^&]+", "state=forged");
    assertThat(browser.get(back.getPath() + "?" + forged).statusCode()).isEqualTo(403);
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);
  }

  @Test
  void anIdTokenWithoutTheNonceThisSignInSentIsRefused() {
    identityProvider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "nurse-8", "JWT", null,
        Map.of("name", "Nils Nonce", "brobygger_role", "nurse", "brobygger_team", "svendborg-gadesygepleje"), 3600));
    ConsoleClient browser = new ConsoleClient(gateway.gateway().baseUrl());
    String authorize = browser.get("/console/log-ind/oidc").headers().firstValue("Location").orElseThrow();
    // the provider never sees the nonce, so the ID token it issues cannot carry it
    URI back = URI.create(providerAnswer(URI.create(authorize.replaceAll("[&?]nonce=[^&]+", ""))));

    HttpResponse<String> refused = browser.get(back.getPath() + "?" + back.getRawQuery());

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry).contains("nonce"));
  }

  @Test
  @Order(Integer.MAX_VALUE) // spends this address's budget of refusals, so it runs after the others
  void anAddressThatFailsToSignInTooOftenIsAnswered429UntilItsBudgetRefills() {
    ConsoleClient browser = new ConsoleClient(gateway.gateway().baseUrl());
    HttpResponse<String> answer;
    int tries = 0;
    do {
      answer = browser.get("/console/log-ind/oidc/svar?code=guessed&state=guessed");
      tries++;
    } while (answer.statusCode() == 403 && tries <= 30); // http.refusals-per-minute is 30 by default

    assertThat(answer.statusCode()).as("answer to failed sign-in number " + tries).isEqualTo(429);
    assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
    assertThat(browser.get("/console/log-ind").statusCode()).isEqualTo(429);
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry)
        .contains("sign-in refused").contains("no sign-in here waits for"));
  }

  /** The provider's redirect back to the console (it signs the enqueued person in at once). */
  private String providerAnswer(URI authorize) {
    try {
      HttpResponse<String> answer = toProvider.send(HttpRequest.newBuilder(authorize).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
      return answer.headers().firstValue("Location").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
