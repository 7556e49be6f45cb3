package dk.brobygger.gateway.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The scenarios 1 and 2 in a real Chromium at tablet width: the street nurse records a
 * consent with the citizen, prints the receipt, sends a referral that the GP receives without what
 * the citizen kept back, then withdraws the consent while the GP is down and sees the waiting
 * referral cancelled; then she requests an appointment at the hospital and sees the booked time once
 * the hospital answers. Screenshots of each step go to target/console-screenshots (the README's tour).
 */
@EndToEndTest
@ExtendWith(Chromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NurseJourneyInBrowserTest {

  private static final String CPR = "0101801234";

  @TempDir static Path temp;
  private WireMockServer recipients;
  private TestGateway gateway;
  private String base;

  @BeforeAll
  void start() {
    recipients = AcceptingRecipients.start();
    gateway = TestGateway.start(temp.resolve("data"), AcceptingRecipients.endpoints(recipients));
    base = gateway.gateway().baseUrl();
  }

  @AfterAll
  void stop() {
    gateway.close();
    recipients.stop();
  }

  @Test
  @Order(1)
  void theNurseRecordsConsentPrintsTheReceiptAndTheGpGetsTheReferralWithoutTheAlcoholDiagnosis(Browser browser) {
    browser.open(base + "/console/log-ind");
    browser.find(By.xpath("//button[contains(., 'Sanne Sørensen')]")).click();
    browser.await("signed in", d -> d.getCurrentUrl().endsWith("/console"));

    // find the citizen
    browser.find(By.linkText("Find borger")).click();
    new Select(browser.find(By.id("type"))).selectByValue("cpr");
    browser.find(By.id("nummer")).sendKeys(CPR);
    browser.find(By.xpath("//button[normalize-space()='Find']")).click();
    browser.awaitText("Borger: CPR-nummer " + CPR, "Uden samtykke sendes intet");
    browser.assertAccessible("the citizen's page");
    browser.screenshot("10-borger");

    // record consent: yes to the GP, no to the addiction centre, keep back alcohol and drugs
    browser.find(By.linkText("Registrér samtykke")).click();
    browser.find(By.id("ja-laegehuset-sydfyn")).click();
    browser.find(By.id("nej-behandlingscenter-svendborg")).click();
    browser.find(By.id("tilbagehold-SUD")).click();
    browser.assertAccessible("the consent form");
    browser.screenshot("11-samtykke-formular");
    browser.find(By.xpath("//button[contains(., 'Vis samtykket')]")).click();
    String preview = browser.find(By.id("forhaandsvisning")).getText();
    assertThat(preview).contains("Du siger ja til, at gadesygeplejen må sende oplysninger om dig til: Lægehuset Sydfyn")
        .contains("Behandlingscenter Svendborg").contains("alkohol og stoffer bliver aldrig sendt");
    browser.assertAccessible("the consent preview");
    browser.screenshot("12-samtykke-laes-op");
    browser.find(By.xpath("//button[contains(., 'gem samtykket')]")).click();
    browser.await("the receipt", d -> d.getCurrentUrl().contains("/console/samtykke/kvittering"));
    browser.awaitText("Kvittering for dit samtykke", "Sådan trækker du det tilbage", "Reference:");
    assertThat(browser.find(By.cssSelector("[data-print]")).getText()).isEqualTo("Udskriv kvittering");
    browser.assertAccessible("the consent receipt");
    browser.screenshot("13-kvittering");

    // send a referral: only the GP is offered; the addiction centre is shown with the reason
    browser.find(By.linkText("Tilbage til borgeren")).click();
    browser.find(By.linkText("Send henvisning")).click();
    List<String> offered = new Select(browser.find(By.id("modtager"))).getOptions().stream().map(WebElement::getText).toList();
    assertThat(offered).singleElement().asString().startsWith("Lægehuset Sydfyn");
    assertThat(browser.find(By.id("ikke-tilladt")).getText()).contains("Behandlingscenter Svendborg");
    browser.find(By.id("aarsag")).clear();
    browser.find(By.id("aarsag")).sendKeys("Vurdering af KOL og blodtryk");
    browser.find(By.id("diagnose")).sendKeys("F10.2");
    browser.find(By.id("diagnose-tekst")).sendKeys("Alkoholafhængighed");
    browser.find(By.id("systolisk")).sendKeys("162");
    browser.find(By.id("diastolisk")).sendKeys("98");
    browser.find(By.id("blodsukker")).sendKeys("7,8");
    browser.find(By.id("fev1")).sendKeys("2,1");
    browser.assertAccessible("the referral form");
    browser.screenshot("14-henvisning");
    browser.find(By.xpath("//button[contains(., 'Se hvad der sendes')]")).click();
    assertThat(browser.find(By.id("holdes-tilbage")).getText()).contains("F10.2");
    browser.assertAccessible("the referral preview");
    browser.screenshot("15-henvisning-holdes-tilbage");
    browser.find(By.xpath("//button[contains(., 'Send henvisningen')]")).click();

    // the status turns to delivered by itself
    browser.await("the referral delivered", d -> !d.findElements(By.cssSelector("[data-status='delivered']")).isEmpty());
    browser.screenshot("16-leveret");
    byte[] sent = recipients.findAll(postRequestedFor(urlEqualTo("/gp"))).get(0).getBody();
    String opened = new String(new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(SampleParty.GP),
        InsecureSampleKeys.gatewaySigningPublicKeys()).open(sent).payload(), StandardCharsets.UTF_8);
    Bundle delivered = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, opened);
    assertThat(opened).doesNotContain("F10.2").doesNotContain("Alkoholafhængighed");
    assertThat(delivered.getEntry()).extracting(e -> e.getResource().fhirType())
        .contains("ServiceRequest", "Patient", "Observation").doesNotContain("Condition");
  }

  @Test
  @Order(2)
  void sheWithdrawsTheConsentWhileTheGpIsDownAndTheWaitingReferralIsCancelled(Browser browser) {
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(503)));
    browser.open(base + "/console/borger?type=cpr&nummer=" + CPR);
    browser.find(By.linkText("Send henvisning")).click();
    browser.find(By.xpath("//button[contains(., 'Se hvad der sendes')]")).click();
    browser.find(By.xpath("//button[contains(., 'Send henvisningen')]")).click();
    browser.await("the GP does not answer", d -> !d.findElements(By.cssSelector("[data-status='waiting']")).isEmpty());
    browser.screenshot("20-venter");

    browser.find(By.linkText("Tilbagekald samtykket")).click();
    browser.awaitText("Træk samtykket tilbage?", "Henvisning til Lægehuset Sydfyn");
    browser.assertAccessible("the withdrawal's confirmation");
    browser.screenshot("21-tilbagekald-bekraeft");
    browser.find(By.xpath("//button[contains(., 'Ja, træk samtykket tilbage')]")).click();
    browser.await("the withdrawal's answer", d -> d.findElement(By.tagName("h1")).getText().equals("Samtykket er trukket tilbage"));
    browser.awaitText("Disse beskeder bliver ikke sendt");
    browser.await("the waiting referral cancelled",
        d -> !d.findElements(By.cssSelector("[data-status='cancelled']")).isEmpty());
    browser.assertAccessible("the withdrawal's result");
    browser.screenshot("22-annulleret");

    // the GP comes back: the cancelled referral is never sent again (its Task is final)
    int attemptsWhileDown = recipients.findAll(postRequestedFor(urlEqualTo("/gp"))).size();
    recipients.stubFor(post(urlEqualTo("/gp")).willReturn(aResponse().withStatus(200)));
    browser.open(base + "/console/borger?type=cpr&nummer=" + CPR);
    browser.await("the page shows both referrals settled",
        d -> d.findElements(By.cssSelector("[data-status='delivered']")).size() == 1
            && d.findElements(By.cssSelector("[data-status='cancelled']")).size() == 1);
    assertThat(recipients.findAll(postRequestedFor(urlEqualTo("/gp")))).hasSize(attemptsWhileDown);
  }

  @Test
  @Order(3)
  void sheRequestsAnAppointmentAtTheHospitalAndSeesTheBookedTimeWhenTheHospitalAnswers(Browser browser) {
    // the citizen now says yes to the hospital (recorded through the API, as the team's own system would)
    HttpResponse<String> consent = gateway.post("/Consent", "application/fhir+json", Fixtures.json(
        Fixtures.consentPermitting(Fixtures.organisation(Fixtures.HOSPITAL_SOR))).getBytes(StandardCharsets.UTF_8));
    assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);

    browser.open(base + "/console/borger?type=cpr&nummer=" + CPR);
    browser.find(By.linkText("Anmod om tid")).click();
    browser.awaitText("Hvornår kan borgeren komme");
    List<String> offered = new Select(browser.find(By.id("modtager"))).getOptions().stream().map(WebElement::getText).toList();
    assertThat(offered).singleElement().asString().contains("Sygehus");
    browser.find(By.id("aarsag")).clear();
    browser.find(By.id("aarsag")).sendKeys("Lungefunktionsundersøgelse (KOL)");
    browser.find(By.id("tid-note")).sendKeys("Formiddag, ledsages af gadesygeplejersken");
    browser.assertAccessible("the appointment request form");
    browser.screenshot("30-anmod-om-tid");
    browser.find(By.xpath("//button[contains(., 'Se hvad der sendes')]")).click();
    browser.awaitText("Anmodning om tid hos", "Ønsket tid: mellem");
    browser.assertAccessible("the appointment request's preview");
    browser.find(By.xpath("//button[contains(., 'Send anmodningen')]")).click();
    By request = By.xpath("//tr[td[starts-with(normalize-space(.), 'Anmodning om tid')]]/td[@data-status]");
    browser.await("the appointment request delivered",
        d -> "delivered".equals(d.findElement(request).getDomAttribute("data-status")));

    // the hospital received an appointment request proposing a time for the citizen, through the same ingress
    byte[] sent = recipients.findAll(postRequestedFor(urlEqualTo("/hospital"))).get(0).getBody();
    Bundle delivered = Fixtures.FHIR.newJsonParser().parseResource(Bundle.class, new String(new SampleRecipientOpener(
        InsecureSampleKeys.encryptionKeys(SampleParty.HOSPITAL), InsecureSampleKeys.gatewaySigningPublicKeys())
        .open(sent).payload(), StandardCharsets.UTF_8));
    MessageHeader header = (MessageHeader) delivered.getEntryFirstRep().getResource();
    assertThat(header.getEventCoding().getCode()).isEqualTo("appointment-request");
    assertThat(delivered.getEntry()).extracting(e -> e.getResource()).filteredOn(Appointment.class::isInstance)
        .singleElement().satisfies(a -> assertThat(((Appointment) a).getStatus()).isEqualTo(Appointment.AppointmentStatus.PROPOSED));

    // the hospital books a time: the status shows it by itself
    HttpResponse<String> answered = gateway.as(SampleParty.HOSPITAL).post("/$process-message", "application/fhir+json",
        bookedAnswerTo(Fixtures.messageId(delivered).replaceFirst("^urn:uuid:", "")));
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    browser.await("the booked time shown", d -> "booked".equals(d.findElement(request).getDomAttribute("data-status")));
    assertThat(browser.find(request).getText())
        .contains("tid bestilt: 8. december 2026 kl. 09.30\u201310.15", "Lungemedicinsk ambulatorium");
    browser.assertAccessible("the citizen's page with a booked time");
    browser.screenshot("31-tid-bestilt");

    browser.find(By.linkText("Teamets indbakke")).click();
    browser.awaitText("Svar på anmodning om tid");
  }

  /** The sample booked answer, answering our request, about the citizen by CPR only, on 8 December 2026. */
  private static byte[] bookedAnswerTo(String requestId) {
    // edited as JSON: the sample's entries keep their ids exactly as written
    try (InputStream in = NurseJourneyInBrowserTest.class.getResourceAsStream(
        "/dk/brobygger/fhir/examples/appointment-response-booked.json")) {
      ObjectMapper json = new ObjectMapper();
      JsonNode answer = json.readTree(in);
      for (JsonNode entry : answer.get("entry")) {
        ObjectNode resource = (ObjectNode) entry.get("resource");
        switch (resource.get("resourceType").asText()) {
          case "MessageHeader" -> ((ObjectNode) resource.get("response")).put("identifier", requestId);
          case "Patient" -> {
            ArrayNode ids = (ArrayNode) resource.get("identifier");
            for (int i = ids.size() - 1; i >= 0; i--) {
              if (!CPR.equals(ids.get(i).get("value").asText())) {
                ids.remove(i);
              }
            }
          }
          case "Provenance" -> ((ObjectNode) resource.get("entity").get(0).get("what").get("identifier"))
              .put("value", requestId);
          case "Appointment" -> resource.put("start", "2026-12-08T09:30:00+01:00").put("end", "2026-12-08T10:15:00+01:00");
          default -> { }
        }
      }
      return json.writeValueAsBytes(answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
