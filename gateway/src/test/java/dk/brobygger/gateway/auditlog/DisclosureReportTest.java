package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.delivery.AttemptOutcome;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.delivery.BundleMinimisation;
import dk.brobygger.gateway.outbox.InFlightDisclosures;
import dk.brobygger.gateway.outbox.OutboxStore;
import dk.brobygger.gateway.storage.Fixtures;
import dk.brobygger.gateway.storage.TestStorage;
import dk.brobygger.gateway.testing.StorageTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the citizen's report says was sent is what the delivery recorded after minimisation: a
 * referral accepted with an Observation about drinking (ETH), delivered under a consent that
 * excludes ETH, goes through the real minimisation, sending record and outcome record.
 */
@StorageTest
class DisclosureReportTest {

  static final CitizenIdentifier CPR = Fixtures.cpr("0101601234");
  static final ConsentVersion BASIS = new ConsentVersion("consent-1", 1);
  static final String DRINKING = "urn:uuid:observation-drinking";
  static final Code ETH = new Code(Code.ACT_CODE, "ETH");
  static final Decision PERMIT_WITHOUT_ETH = new Decision(Decision.Verdict.PERMIT, Optional.of(BASIS),
      List.of(BASIS.reference() + " permits gp, excluding ETH"), Set.of(DRINKING), Set.of(ETH));

  TestStorage storage;
  Recipient gp;
  OutboxStore outbox;
  InFlightDisclosures fence;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
    gp = storage.add(Fixtures.recipient("gp-svendborg", "gp"));
    outbox = storage.outbox("instance-a", Duration.ofMinutes(2));
    fence = new InFlightDisclosures(storage.db(), storage.audit(), storage.links(), storage.clock());
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aClassWithheldByMinimisationIsNeverReportedAsDisclosed() {
    ReceivedMessage accepted = withObservationAboutDrinking(Fixtures.referral("msg-1", gp, CPR));
    storage.intake().accept(accepted, gp, PERMIT_WITHOUT_ETH, "nurse");
    Disclosure d = outbox.claim(1).get(0);
    assertThat(new String(d.body(), StandardCharsets.UTF_8)).as("the accepted message holds it").contains("Observation");

    deliver(d);

    DisclosureReport.Report report = new DisclosureReport(storage.audit(), id -> Optional.of(gp), storage.clock())
        .about(CPR);
    assertThat(report.disclosures()).singleElement().satisfies(disclosure -> {
      assertThat(disclosure.kindsSent()).containsExactly("ServiceRequest", "Patient").doesNotContain("Observation");
      assertThat(disclosure.removed()).containsExactly("ETH");
      assertThat(disclosure.sentSha256()).isEqualTo("ab".repeat(32));
    });
    AuditEvent.DisclosureSettled delivered = (AuditEvent.DisclosureSettled) storage.audit()
        .forMessage("msg-1").get(2).event();
    assertThat(delivered.classes()).contains(
        new AuditEvent.SentClasses(List.of("ServiceRequest", "Patient"), List.of("ETH"), 1));
  }

  @Test
  void aRetryAfterNothingWasSentRecordsNoClassesAndIsNotADisclosure() {
    storage.intake().accept(withObservationAboutDrinking(Fixtures.referral("msg-2", gp, CPR)), gp, PERMIT_WITHOUT_ETH,
        "nurse");
    Disclosure d = outbox.claim(1).get(0);

    outbox.record(new AttemptOutcome(d, AttemptOutcome.Result.RETRY, "recipient unreachable", Optional.empty(),
        Optional.empty(), Optional.of(storage.clock().instant().plusSeconds(60)), Optional.of(PERMIT_WITHOUT_ETH)));

    AuditEvent.DisclosureSettled retry = (AuditEvent.DisclosureSettled) storage.audit()
        .forMessage("msg-2").get(1).event();
    assertThat(retry.classes()).isEmpty();
    assertThat(new DisclosureReport(storage.audit(), id -> Optional.of(gp), storage.clock()).about(CPR).disclosures())
        .isEmpty();
  }

  @Test
  void anEntryWhoseTextNoLongerReadsIsNamedInTheReportInsteadOfFailingIt() throws Exception {
    storage.intake().accept(withObservationAboutDrinking(Fixtures.referral("msg-3", gp, CPR)), gp, PERMIT_WITHOUT_ETH,
        "nurse");
    deliver(outbox.claim(1).get(0));
    long edited = storage.audit().forMessage("msg-3").get(0).sequence();
    try (Connection c = storage.db().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(
            "UPDATE audit_log SET canonical_json = REPLACE(canonical_json, '\"action\":', '\"akton\":') WHERE seq = ?")) {
      s.setLong(1, edited);
      assertThat(s.executeUpdate()).isEqualTo(1);
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }

    DisclosureReport reports = new DisclosureReport(storage.audit(), id -> Optional.of(gp), storage.clock());
    DisclosureReport.Report report = reports.about(CPR);

    assertThat(report.unreadableEntries()).containsExactly(edited);
    assertThat(report.disclosures()).as("the entries that still read are reported").hasSize(1);
    assertThat(reports.html(report)).contains("Loggen er ikke i orden", "(nummer " + edited + ")");
    assertThat(new ObjectMapper().readTree(reports.json(report)).get("unreadableEntries").get(0).asLong()).isEqualTo(edited);
  }

  /** The real path: minimise with the re-check's permit, record the send, then the recipient's 200. */
  private void deliver(Disclosure d) {
    fence.enter(d, storage.clock().instant().plusSeconds(30));
    byte[] minimised = new BundleMinimisation(new FhirCodec()).apply(d, PERMIT_WITHOUT_ETH);
    String sha = "ab".repeat(32);
    fence.sending(d, PERMIT_WITHOUT_ETH, minimised, sha);
    outbox.record(new AttemptOutcome(d, AttemptOutcome.Result.DELIVERED, "recipient answered HTTP 200",
        Optional.of(200), Optional.of(sha), Optional.empty(), Optional.of(PERMIT_WITHOUT_ETH)));
    fence.leave(new AttemptOutcome(d, AttemptOutcome.Result.DELIVERED, "recipient answered HTTP 200",
        Optional.of(200), Optional.of(sha), Optional.empty(), Optional.of(PERMIT_WITHOUT_ETH)));
  }

  private static ReceivedMessage withObservationAboutDrinking(ReceivedMessage m) {
    Bundle bundle = m.bundle().copy();
    Observation drinking = new Observation();
    drinking.setStatus(Observation.ObservationStatus.FINAL);
    drinking.getMeta().addSecurity(new Coding(Code.ACT_CODE, "ETH", null));
    bundle.addEntry().setFullUrl(DRINKING).setResource(drinking);
    byte[] json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle)
        .getBytes(StandardCharsets.UTF_8);
    return new ReceivedMessage(m.messageId(), m.event(), m.destination(), m.sender(), m.purpose(), m.citizen(),
        m.focusReference(), m.items(), bundle, json, m.answers());
  }
}
