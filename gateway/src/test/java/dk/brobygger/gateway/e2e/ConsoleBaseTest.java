package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.gateway.testing.TestClock;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's base: sign-in, sessions, roles, CSRF and the headers every page carries. One
 * gateway for the class; each test signs in with a browser of its own.
 */
@EndToEndTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBaseTest {

  static final String NURSE = "insecure-sample:sanne";
  static final String OFFICER = "insecure-sample:per";

  @TempDir static Path temp;
  private final TestClock clock = TestClock.standingAt(Instant.now());
  private TestGateway gateway;
  private ConsoleClient browser;

  @BeforeAll
  void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of(), clock);
  }

  @BeforeEach
  void newBrowser() {
    browser = new ConsoleClient(gateway.gateway().baseUrl());
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void aSignedOutBrowserIsSentToSignIn() {
    HttpResponse<String> home = browser.get("/console");
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location")).hasValue("/console/log-ind");
    HttpResponse<String> signIn = browser.get("/console/log-ind");
    assertThat(signIn.statusCode()).isEqualTo(200);
    assertThat(signIn.body()).contains("Log ind", "USIKKER", "Sanne Sørensen (prøveperson)");
  }

  @Test
  void theSessionCookieIsSecureHttpOnlyAndSameSiteAndChangesAtSignIn() {
    HttpResponse<String> signIn = browser.get("/console/log-ind");
    String before = sessionCookie(signIn);
    assertThat(before).contains("Secure").containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/console");
    HttpResponse<String> signedIn = browser.post("/console/log-ind/proeveperson", Map.of("subject", NURSE));
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String after = sessionCookie(signedIn);
    assertThat(value(after)).isNotEqualTo(value(before));
    HttpResponse<String> home = browser.get("/console");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("Sanne Sørensen (prøveperson)", "Gadesygeplejerske", "svendborg-gadesygepleje");
  }

  @Test
  void everyPageForbidsInlineScriptsAndFraming() {
    browser.signInAsSample(NURSE);
    HttpResponse<String> home = browser.get("/console");
    String csp = home.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'").doesNotContain("unsafe");
    assertThat(home.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(home.body()).doesNotContain("<script>").contains("<script src=\"/console/assets/htmx.min.js\"");
    HttpResponse<String> htmx = browser.get("/console/assets/htmx.min.js");
    assertThat(htmx.statusCode()).isEqualTo(200);
    assertThat(htmx.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
  }

  @Test
  void aNurseCannotOpenThePrivacyOfficersPages() {
    browser.signInAsSample(NURSE);
    HttpResponse<String> officerPage = browser.get("/console/tilsyn");
    assertThat(officerPage.statusCode()).isEqualTo(403);
    assertThat(officerPage.body()).contains("Ingen adgang");
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry)
        .contains("svendborg-gadesygepleje@console insecure-sample:sanne (Sanne S")
        .contains("GET /console/tilsyn").contains("403"));

    ConsoleClient officer = new ConsoleClient(gateway.gateway().baseUrl());
    officer.signInAsSample(OFFICER);
    assertThat(officer.get("/console/tilsyn").statusCode()).isEqualTo(200);
  }

  @Test
  void aStateChangeWithoutTheCsrfTokenIsRefused() {
    browser.signInAsSample(NURSE);
    HttpResponse<String> withoutToken = browser.postExactly("/console/log-ud", Map.of());
    assertThat(withoutToken.statusCode()).isEqualTo(403);
    HttpResponse<String> wrongToken = browser.postExactly("/console/log-ud", Map.of("csrf", "not-the-token"));
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(browser.get("/console").statusCode()).as("still signed in").isEqualTo(200);
    assertThat(gateway.auditEntries("REQUEST_REFUSED")).anySatisfy(entry -> assertThat(entry)
        .contains("CSRF token is missing or wrong").contains("POST /console/log-ud"));

    HttpResponse<String> signOut = browser.post("/console/log-ud", Map.of());
    assertThat(signOut.statusCode()).isEqualTo(303);
    assertThat(browser.get("/console").statusCode()).as("signed out").isEqualTo(303);
  }

  @Test
  void theSignInFormNeedsItsOwnCsrfToken() {
    browser.get("/console/log-ind");
    HttpResponse<String> forged = browser.postExactly("/console/log-ind/proeveperson", Map.of("subject", NURSE));
    assertThat(forged.headers().firstValue("Location")).hasValue("/console/log-ind");
    assertThat(browser.get("/console").statusCode()).isEqualTo(303);
  }

  @Test
  void aSessionIdleForFifteenMinutesIsSignedOut() {
    browser.signInAsSample(NURSE);
    clock.advance(Duration.ofMinutes(14));
    assertThat(browser.get("/console").statusCode()).as("used within the idle timeout").isEqualTo(200);
    clock.advance(Duration.ofMinutes(14));
    assertThat(browser.get("/console").statusCode()).as("used again within it").isEqualTo(200);
    clock.advance(Duration.ofMinutes(15).plusSeconds(1));
    HttpResponse<String> idle = browser.get("/console");
    assertThat(idle.statusCode()).isEqualTo(303);
    assertThat(idle.headers().firstValue("Location")).hasValue("/console/log-ind");
  }

  private static String sessionCookie(HttpResponse<String> response) {
    List<String> cookies = response.headers().allValues("Set-Cookie");
    return cookies.stream().filter(c -> c.startsWith("brobygger_console=")).findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie in " + cookies));
  }

  private static String value(String setCookie) {
    return HttpCookie.parse(setCookie).get(0).getValue();
  }
}
