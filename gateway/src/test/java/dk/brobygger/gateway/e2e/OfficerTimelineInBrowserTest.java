package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dk.brobygger.gateway.e2e.Fixtures.ADDICTION_CENTRE_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.GP_SOR;
import static dk.brobygger.gateway.e2e.Fixtures.organisation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.gateway.testing.EndToEndTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The browser scenario 3: the privacy officer signs in, opens the citizen's timeline and
 * sees the whole journey (consent, decisions, the disclosure to the GP with what was kept back, the
 * refusal for the addiction centre, the withdrawal), every entry verified in the browser against the
 * pinned log key; after one audit entry is edited in the database, that entry, and only that one,
 * shows as not verified. Screenshots go to target/screenshots.
 */
@EndToEndTest
@ExtendWith(Chromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficerTimelineInBrowserTest {

  private static final String JSON = "application/fhir+json";
  private static final String OFFICER = "insecure-sample:per";
  private static final String NURSE = "insecure-sample:sanne";

  @TempDir static Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    recipients = new WireMockServer(options().dynamicPort());
    recipients.start();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    recipients.stubFor(post(urlEqualTo("/addiction")).willReturn(aResponse().withStatus(200)));
    String base = "http://localhost:" + recipients.port();
    gateway = TestGateway.start(temp.resolve("data"),
        Map.of("laegehuset-sydfyn", base + "/gp", "behandlingscenter-svendborg", base + "/addiction"));
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (recipients != null) {
      recipients.stop();
    }
  }

  @Test
  void theOfficerSeesTheJourneyVerifiedAndAnEditedEntryNotVerified(Browser browser) throws SQLException {
    String consentId = journey();

    signIn(browser, OFFICER);
    Map<String, String> verdicts = timeline(browser, "officer-timeline-verified");
    browser.assertAccessible("the citizen's timeline");
    assertThat(verdicts).hasSizeGreaterThanOrEqualTo(5).allSatisfy((what, verdict) -> assertThat(verdict).isEqualTo("yes"));
    String page = browser.find(By.tagName("main")).getText();
    assertThat(page).contains("Samtykke registreret", "Videregivet til modtageren", "Lægehuset",
        "Afgørelse: afvist", "Samtykke trukket tilbage", consentId, "Sendt");
    assertThat(browser.find(By.cssSelector("[data-verification-summary]")).getText()).contains("poster verificeret");
    // this gateway has no witness policy: the page says the checkpoint is signed by the gateway alone
    assertThat(browser.find(By.cssSelector("[data-witness-summary]")).getText()).startsWith("Ingen vidner er sat op");
    // long hashes and ids wrap, also in the signed text shown: nothing scrolls sideways at 768 px
    ((org.openqa.selenium.JavascriptExecutor) browser.driver())
        .executeScript("document.querySelectorAll('.entry details').forEach(d => { d.open = true; });");
    browser.assertNoSidewaysScroll("the citizen's timeline, every signed text open");

    // the citizen's printable report: styled by the served stylesheet, nothing refused by the page's CSP
    String report = browser.find(By.linkText("Borgerens oversigt til udskrift")).getDomAttribute("href");
    String receipt = browser.find(By.linkText("Kvittering for udleveringen (tlog-proof)")).getDomAttribute("href");
    browser.open(gateway.gateway().baseUrl() + report);
    browser.awaitText("Hvem har fået oplysninger om dig");
    assertThat(browser.driver().findElement(By.tagName("td")).getCssValue("border-top-style")).isEqualTo("solid");
    assertThat(browser.find(By.linkText("bevis")).getDomAttribute("href")).isEqualTo(receipt);
    browser.assertAccessible("the citizen's report");
    browser.screenshot("officer-report");

    // the delivered disclosure links its receipt: the tlog-proof the API's /audit/receipt serves
    assertThat(receipt).startsWith("/console/tilsyn/kvittering?message=");
    browser.open(gateway.gateway().baseUrl() + receipt);
    assertThat(browser.awaitText("c2sp.org/tlog-proof@v1")).contains("\nindex ", "brobygger.example/audit-log");

    edit("UPDATE audit_log SET canonical_json = REPLACE(canonical_json, '\"delivered\"', '\"cancelled\"')"
        + " WHERE action = 'DISCLOSURE_ATTEMPT' AND outcome = 'delivered'");
    Map<String, String> after = timeline(browser, "officer-timeline-one-entry-edited");
    assertThat(after.values()).containsOnlyOnce("no");
    WebElement edited = browser.find(By.cssSelector("[data-log-index][data-verified='no']"));
    assertThat(edited.getText()).contains("Stoppet før afsendelse", "Ikke verificeret");

    // an entry edited so that its text no longer reads as a log entry: shown, not verified, never a 5xx page
    edit("UPDATE audit_log SET canonical_json = REPLACE(canonical_json, '\"action\":', '\"akton\":')"
        + " WHERE action = 'CONSENT_DECISION' AND outcome = 'deny'");
    Map<String, String> unreadable = timeline(browser, "officer-timeline-entry-unreadable");
    assertThat(unreadable.values()).filteredOn("no"::equals).hasSize(2);
    assertThat(browser.findAll(By.cssSelector("[data-log-index][data-verified='no']")))
        .anySatisfy(entry -> assertThat(entry.getText()).contains("Posten kan ikke læses", "Ikke verificeret: "));
    browser.assertAccessible("the citizen's timeline with an unreadable entry");

    assertThat(gateway.auditEntries("CONSENT_READ")).anySatisfy(entry -> assertThat(entry)
        .contains("privacy officer's timeline").contains("@console insecure-sample:per"));

    // the overview: this week's disclosure to the GP and refusal for the addiction centre, as charts and a table
    browser.open(gateway.gateway().baseUrl() + "/console/tilsyn");
    browser.await("three charts drawn", d -> d.findElements(By.cssSelector(".chart canvas")).size() == 3);
    browser.screenshot("officer-overview");
    browser.assertAccessible("the privacy officer's overview");
    String thisWeek = browser.find(By.cssSelector("table.weeks tbody tr:last-child")).getText();
    assertThat(browser.find(By.cssSelector("table.weeks thead")).getText())
        .contains("Lægehuset Sydfyn", "Behandlingscenter Svendborg");
    assertThat(thisWeek).contains("1 / 0", "0 / 1").endsWith("1");
  }

  @Test
  void aNurseCannotOpenACitizensTimeline() {
    ConsoleClient nurse = new ConsoleClient(gateway.gateway().baseUrl());
    nurse.signInAsSample(NURSE);
    HttpResponse<String> refused = nurse.get("/console/tilsyn/borger?type=cpr&nummer=" + Fixtures.CPR);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(nurse.get("/console/tilsyn/log/kontrolpunkt").statusCode()).isEqualTo(403);
  }

  /** Consent yes to the GP, a referral delivered to the GP, one refused for the addiction centre, withdrawn. */
  private String journey() {
    HttpResponse<String> created = gateway.post("/Consent", JSON,
        Fixtures.json(Fixtures.consentPermitting(organisation(GP_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String consentId = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, created.body()).getIdElement().getIdPart();
    HttpResponse<String> toGp = gateway.post("/$process-message", JSON, Fixtures.bytes(Fixtures.referralTo(GP_SOR)));
    assertThat(toGp.statusCode()).as(toGp.body()).isEqualTo(202);
    await("the GP receives the referral").atMost(Duration.ofSeconds(30))
        .until(() -> recipients.findAll(postRequestedFor(urlEqualTo("/gp"))).size(), n -> n >= 1); // more under load: a lease ran out, the same Idempotency-Key
    await("the delivery is in the log").atMost(Duration.ofSeconds(30))
        .until(() -> gateway.auditEntries("DISCLOSURE_ATTEMPT"), entries -> entries.stream().anyMatch(e -> e.contains("\"delivered\"")));
    HttpResponse<String> toAddiction = gateway.post("/$process-message", JSON,
        Fixtures.bytes(Fixtures.referralTo(ADDICTION_CENTRE_SOR)));
    assertThat(toAddiction.statusCode()).as(toAddiction.body()).isEqualTo(403);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/addiction")))).isEmpty();
    Consent current = Fixtures.FHIR.newJsonParser().parseResource(Consent.class, gateway.get("/Consent/" + consentId).body());
    current.setStatus(Consent.ConsentState.INACTIVE);
    HttpResponse<String> withdrawn = gateway.put("/Consent/" + consentId, JSON, Fixtures.json(current));
    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
    return consentId;
  }

  private void signIn(Browser browser, String subject) {
    browser.open(gateway.gateway().baseUrl() + "/console/log-ind");
    browser.find(By.cssSelector("form[action='/console/log-ind/proeveperson'] input[value='" + subject + "'] ~ button"))
        .click();
    browser.await("signed in", d -> d.getCurrentUrl().endsWith("/console"));
  }

  /** Opens the citizen's timeline and returns each entry's verdict (yes/no) by its index. */
  private Map<String, String> timeline(Browser browser, String screenshot) {
    browser.open(gateway.gateway().baseUrl() + "/console/tilsyn/borger?type=cpr&nummer=" + Fixtures.CPR);
    browser.await("the verifier marks every entry", d ->
        "yes".equals(d.findElement(By.cssSelector("[data-log-verification]")).getDomAttribute("data-verification-done")));
    browser.screenshot(screenshot);
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (WebElement entry : browser.findAll(By.cssSelector("[data-log-index]"))) {
      verdicts.put(entry.getDomAttribute("data-log-index"), entry.getDomAttribute("data-verified"));
    }
    return verdicts;
  }

  private void edit(String sql) throws SQLException {
    try (Connection c = gateway.gateway().database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      assertThat(s.executeUpdate()).isEqualTo(1);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }
}
