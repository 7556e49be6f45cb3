package dk.brobygger.gateway.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.auditproof.AuditCli;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.AuditTestLog.Cli;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditOutcome;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written before audit events were typed stays verifiable and readable. The fixture
 * {@code auditlog/legacy-log-export.ndjson} is an export made by main at cc29d89 (untyped
 * {@code AuditEntry}s, one of each shape its call sites appended), checkpointed with the sample keys.
 * Its entries are put into a database as an upgraded gateway finds them; today's code then reads
 * each as a typed event, appends typed events after them, and exports the whole log, which the
 * offline verifier accepts, old entries byte for byte as they were.
 */
@StorageTest
class LegacyLogTest {

  static final String FIXTURE = "/auditlog/legacy-log-export.ndjson";
  static final CitizenIdentifier CPR = new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  AuditTestLog log;
  List<String> legacyEntries = new ArrayList<>();
  List<byte[]> legacyLeaves = new ArrayList<>();

  @BeforeEach
  void theLegacyLogAsAnUpgradedGatewayFindsIt(StorageSettings fresh) throws Exception {
    log = new AuditTestLog(fresh, temp, 1_000, Duration.ofHours(1));
    for (String line : fixtureLines()) {
      JsonNode n = JSON.readTree(line);
      if (n.has("entry")) {
        legacyEntries.add(n.get("entry").asText());
        legacyLeaves.add(Base64.getDecoder().decode(n.get("leafHash").asText()));
      }
    }
    insert(legacyEntries, legacyLeaves);
  }

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void theFixtureWrittenByTheUntypedCodeVerifiesOffline() throws Exception {
    Path fixture = Files.writeString(temp.resolve("legacy.ndjson"), String.join("\n", fixtureLines()) + "\n");

    Cli cli = log.verifyExport(fixture);

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("22 entries recomputed");
  }

  @Test
  void everyLegacyEntryReadsAsItsTypedEventWithTheFieldsItDidNotHaveLeftEmpty() {
    List<StoredAuditEntry> read = log.storage.audit().read(1, 100);

    assertThat(read).extracting(e -> e.event().getClass().getSimpleName()).containsExactly(
        "ConsentRecorded", "ConsentRead", "ConsentChanged", "CitizenLinked", "ConsentDecided", "DisclosureSending",
        "DisclosureSettled", "DisclosureSending", "DisclosureSettled", "AcknowledgementReceived", "ConsentDecided",
        "DisclosureSettled", "DisclosureSettled", "ConsentWithdrawn", "WithdrawalFenced", "RequestRefused",
        "RequestRefused", "MessageReceived", "InboxHandled", "AcknowledgementReceived", "AuditRead", "AuditRead");
    assertThat(read).extracting(StoredAuditEntry::canonicalJson).isEqualTo(legacyEntries);
    AuditEvent.DisclosureSettled delivered = (AuditEvent.DisclosureSettled) read.get(8).event();
    assertThat(delivered.settlement()).isEqualTo(AuditEvent.Settlement.DELIVERED);
    assertThat(delivered.sentSha256()).contains("5f".repeat(32));
    assertThat(delivered.classes()).as("the untyped log did not record what was sent").isEmpty();
    assertThat(((AuditEvent.DisclosureSending) read.get(5).event()).classes()).isEmpty();
    assertThat(((AuditEvent.AcknowledgementReceived) read.get(19).event()).code())
        .isEqualTo(AuditEvent.AcknowledgementCode.TRANSIENT_ERROR);
    assertThat(read).allSatisfy(e -> assertThat(AuditEvents.of(e).getOutcome()).isNotNull());
  }

  @Test
  void theReportOverALegacyLogNamesWhatItRecordedAndClaimsNoKindsItDidNotRecord() {
    DisclosureReport.Report report = new DisclosureReport(log.storage.audit(), id -> Optional.empty(),
        log.storage.clock()).about(CPR);

    assertThat(report.disclosures()).singleElement().satisfies(d -> {
      assertThat(d.messageId()).isEqualTo("msg-1");
      assertThat(d.consent()).contains(new ConsentVersion("c-4711", 2));
      assertThat(d.kindsSent()).isEmpty();
    });
    assertThat(report.notSent()).extracting(DisclosureReport.NotSent::outcome)
        .containsExactly(AuditOutcome.DENY, AuditOutcome.CANCELLED, AuditOutcome.FAILED);
    assertThat(report.consentChanges()).extracting(DisclosureReport.ConsentChange::change)
        .containsExactly(AuditOutcome.CREATED, AuditOutcome.CHANGED, AuditOutcome.WITHDRAWN);
  }

  @Test
  void typedEventsAppendedAfterTheLegacyEntriesExportWithThemAndVerifyOffline() throws Exception {
    Instant now = Instant.parse("2026-12-01T08:00:00.654321Z");
    AuditEvent.SentClasses classes =
        new AuditEvent.SentClasses(List.of("ServiceRequest", "Patient"), List.of("ETH"), 2);
    log.storage.audit().append(new AuditEvent.DisclosureSending(now, "gateway", Optional.of(CPR), "msg-7",
        "gp-svendborg", Optional.of(new ConsentVersion("c-4712", 1)), 1, "7a".repeat(32), Optional.of(classes),
        List.of("sending payload sha256 " + "7a".repeat(32) + " to recipient gp-svendborg")));
    log.storage.audit().append(new AuditEvent.RefusalsRepeated(now.plusSeconds(60), "anonymous@10.0.0.66", 3,
        List.of("the same refusal (401) 3 more times", "no bearer token")));
    assertThat(log.checkpointer.checkpointNow().treeSize()).isEqualTo(24);

    Path export = log.exportFile(0, Optional.empty());
    Cli cli = log.verifyExport(export);

    assertThat(cli.exit()).as(cli.err()).isEqualTo(AuditCli.VERIFIED);
    assertThat(cli.out()).contains("24 entries recomputed");
    List<String> exported = new ArrayList<>();
    List<byte[]> exportedLeaves = new ArrayList<>();
    for (String line : AuditTestLog.lines(export)) {
      JsonNode n = JSON.readTree(line);
      if (n.has("entry")) {
        exported.add(n.get("entry").asText());
        exportedLeaves.add(Base64.getDecoder().decode(n.get("leafHash").asText()));
      }
    }
    assertThat(exported.subList(0, 22)).as("old entries keep their bytes").isEqualTo(legacyEntries);
    assertThat(exportedLeaves.subList(0, 22)).usingRecursiveComparison().isEqualTo(legacyLeaves);
    assertThat(exported.get(22)).endsWith(",\"sent\":[\"ServiceRequest\",\"Patient\"],\"withheld\":[\"ETH\"],"
        + "\"withheldItems\":2}");
    assertThat(exported.get(23)).endsWith(",\"repeated\":3}");
    List<StoredAuditEntry> read = log.storage.audit().read(23, 2);
    assertThat(((AuditEvent.DisclosureSending) read.get(0).event()).classes()).contains(classes);
    assertThat(((AuditEvent.RefusalsRepeated) read.get(1).event()).times()).isEqualTo(3);
  }

  private static List<String> fixtureLines() throws IOException {
    try (InputStream in = LegacyLogTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The rows the untyped code wrote: its search columns taken from its own canonical text. */
  private void insert(List<String> entries, List<byte[]> leaves) throws SQLException {
    try (Connection c = log.storage.db().dataSource().getConnection()) {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, citizen_system, citizen_value, message_id,"
              + " recipient_id, consent_id, consent_version, attempt, sent_sha256, canonical_json)"
              + " SELECT (j->>'seq')::bigint, j->>'action', (j->>'at')::timestamptz, j->>'actor', j->>'outcome',"
              + " j->'citizen'->>'system', j->'citizen'->>'value', j->>'messageId', j->>'recipientId',"
              + " j->'consent'->>'id', (j->'consent'->>'version')::bigint, (j->>'attempt')::int, j->>'sentSha256', t"
              + " FROM (SELECT ?::jsonb AS j, ? AS t) AS entry");
          PreparedStatement leaf = c.prepareStatement("INSERT INTO audit_leaf (seq, leaf_hash) VALUES (?, ?)")) {
        for (int i = 0; i < entries.size(); i++) {
          s.setString(1, entries.get(i));
          s.setString(2, entries.get(i));
          s.executeUpdate();
          leaf.setLong(1, i + 1);
          leaf.setBytes(2, leaves.get(i));
          leaf.executeUpdate();
        }
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE audit_counter SET last_seq = ? WHERE id = 1")) {
        s.setLong(1, entries.size());
        s.executeUpdate();
      }
      c.commit();
    }
  }
}
