package dk.brobygger.gateway.e2e;

import static dk.brobygger.gateway.e2e.Fixtures.example;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import dk.brobygger.keys.SampleParty;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The street nurse's pages on the server, without a browser: what the server refuses whatever the
 * page offers, and the team's inbox.
 */
@EndToEndTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleNursePagesTest {

  private static final String CITIZEN = "urn:oid:1.2.208.176.1.2|0101801234";

  @TempDir static Path temp;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of());
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  private ConsoleClient nurse() {
    ConsoleClient nurse = new ConsoleClient(gateway.gateway().baseUrl());
    nurse.signInAsSample(ConsoleBaseTest.NURSE);
    return nurse;
  }

  @Test
  void aReferralToARecipientTheConsentDoesNotPermitIsRefusedEvenIfThePageIsBypassed() {
    ConsoleClient nurse = nurse();
    HttpResponse<String> form = nurse.get("/console/henvisning/ny?borger=" + CITIZEN.replace("|", "%7C"));
    assertThat(form.body()).contains("Borgeren har ikke givet samtykke til denne modtager")
        .doesNotContain("<option value=\"behandlingscenter-svendborg\"");
    long messages = gateway.rows("message");

    HttpResponse<String> forged = nurse.post("/console/henvisning", Map.of("borger", CITIZEN,
        "modtager", "behandlingscenter-svendborg", "aarsag", "Afrusning"));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("Behandlingscenter Svendborg");
    assertThat(gateway.rows("message")).as("nothing stored or sent").isEqualTo(messages);
  }

  @Test
  void aConsentWithoutAnAnswerForEveryRecipientIsRefusedNamingWhatIsMissing() {
    ConsoleClient nurse = nurse();
    nurse.get("/console/samtykke/ny?borger=" + CITIZEN.replace("|", "%7C"));
    long consents = gateway.rows("consent");

    HttpResponse<String> incomplete = nurse.post("/console/samtykke", Map.of("borger", CITIZEN,
        "formaal", "TREAT", "gyldig-til", "2099-01-01"));

    assertThat(incomplete.statusCode()).isEqualTo(422);
    assertThat(incomplete.body()).contains("Svar ja eller nej for");
    assertThat(gateway.rows("consent")).isEqualTo(consents);
  }

  @Test
  void thePrivacyOfficerCannotUseTheNursesPages() {
    ConsoleClient officer = new ConsoleClient(gateway.gateway().baseUrl());
    officer.signInAsSample(ConsoleBaseTest.OFFICER);
    assertThat(officer.get("/console/borger?borger=" + CITIZEN.replace("|", "%7C")).statusCode()).isEqualTo(403);
    assertThat(officer.get("/console/indbakke").statusCode()).isEqualTo(403);
  }

  @Test
  void aReferralFromTheGpIsInTheTeamsInboxAndMarkingItHandledIsAudited() {
    HttpResponse<String> fromGp = gateway.as(SampleParty.GP).post("/$process-message", "application/fhir+json",
        example("referral-from-gp-to-outreach.json"));
    assertThat(fromGp.statusCode()).as(fromGp.body()).isEqualTo(200);

    ConsoleClient nurse = nurse();
    HttpResponse<String> inbox = nurse.get("/console/indbakke");
    assertThat(inbox.statusCode()).isEqualTo(200);
    assertThat(inbox.body()).contains("Henvisning", "Markér som behandlet");
    Matcher item = Pattern.compile("action=\"/console/indbakke/([^/]+)/behandlet\"").matcher(inbox.body());
    assertThat(item.find()).isTrue();

    HttpResponse<String> handled = nurse.post("/console/indbakke/" + item.group(1) + "/behandlet", Map.of());

    assertThat(handled.statusCode()).isEqualTo(303);
    assertThat(nurse.get("/console/indbakke").body()).contains("Behandlet").doesNotContain("Markér som behandlet");
    assertThat(gateway.auditEntries("INBOX_HANDLED")).anySatisfy(entry ->
        assertThat(entry).contains("svendborg-gadesygepleje@console insecure-sample:sanne (Sanne S"));
  }

}
