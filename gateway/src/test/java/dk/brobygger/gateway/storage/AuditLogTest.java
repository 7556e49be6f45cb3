package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.gateway.testing.StorageTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
public class AuditLogTest {

  TestStorage storage;

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  public static AuditEvent entry(String reason) {
    return new AuditEvent.RequestRefused(Instant.parse("2025-03-03T08:15:30.123456Z"), "svendborg-nurse",
        List.of(reason));
  }

  @Test
  void appendsAreNumberedFromOneAndReadBackInOrder() {
    assertThat(storage.audit().append(entry("a"))).isEqualTo(1);
    assertThat(storage.audit().append(entry("b"))).isEqualTo(2);
    assertThat(storage.audit().append(entry("c"))).isEqualTo(3);

    List<StoredAuditEntry> read = storage.audit().read(2, 10);

    assertThat(read).extracting(StoredAuditEntry::sequence).containsExactly(2L, 3L);
    assertThat(read).extracting(e -> e.entry().reasons()).containsExactly(List.of("b"), List.of("c"));
    assertThat(storage.audit().read(1, 1)).extracting(StoredAuditEntry::sequence).containsExactly(1L);
    assertThat(storage.audit().lastSequence()).isEqualTo(3);
  }

  @Test
  void anEntryIsStoredAsCanonicalJsonWithFixedFieldOrderAndUtcMicroseconds() {
    AuditEvent.DisclosureSettled full = new AuditEvent.DisclosureSettled(
        Instant.parse("2025-03-03T08:15:30.123456789Z"),
        "gateway",
        Optional.of(Fixtures.cpr("0101011234")),
        "msg-1",
        "gp-svendborg",
        AuditEvent.Settlement.DELIVERED,
        Optional.of(new ConsentVersion("c-1", 2)),
        Optional.of(1),
        Optional.of("ab12"),
        Optional.empty(),
        List.of("recipient answered 200", "Consent/c-1/_history/2 permits \"gp\""));

    storage.audit().append(full);
    StoredAuditEntry stored = storage.audit().read(1, 1).get(0);

    assertThat(stored.canonicalJson()).isEqualTo(
        "{\"seq\":1,\"action\":\"DISCLOSURE_ATTEMPT\",\"at\":\"2025-03-03T08:15:30.123456Z\",\"actor\":\"gateway\","
            + "\"outcome\":\"delivered\",\"citizen\":{\"system\":\"urn:oid:1.2.208.176.1.2\",\"value\":\"0101011234\"},"
            + "\"messageId\":\"msg-1\",\"recipientId\":\"gp-svendborg\",\"consent\":{\"id\":\"c-1\",\"version\":2},"
            + "\"attempt\":1,\"sentSha256\":\"ab12\",\"reasons\":[\"recipient answered 200\","
            + "\"Consent/c-1/_history/2 permits \\\"gp\\\"\"]}");
    assertThat(stored.event()).isEqualTo(new AuditEvent.DisclosureSettled(
        Instant.parse("2025-03-03T08:15:30.123456Z"), full.actor(), full.citizen(), full.messageId(),
        full.recipientId(), full.settlement(), full.basis(), full.attempt(), full.sentSha256(), full.classes(), full.reasons()));
  }

  @Test
  void absentFieldsAreWrittenAsNullSoEveryEntryHasTheSameKeys() {
    storage.audit().append(entry("no citizen"));

    assertThat(storage.audit().read(1, 1).get(0).canonicalJson()).isEqualTo(
        "{\"seq\":1,\"action\":\"REQUEST_REFUSED\",\"at\":\"2025-03-03T08:15:30.123456Z\",\"actor\":\"svendborg-nurse\","
            + "\"outcome\":\"refused\",\"citizen\":null,\"messageId\":null,\"recipientId\":null,\"consent\":null,"
            + "\"attempt\":null,\"sentSha256\":null,\"reasons\":[\"no citizen\"]}");
  }

  @Test
  void aRolledBackAppendGivesItsNumberBack() {
    storage.audit().append(entry("kept"));
    assertThatThrownBy(() -> storage.db().inTransaction(c -> {
      storage.audit().append(c, entry("rolled back"));
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(storage.audit().append(entry("next"))).isEqualTo(2);
  }

  @Test
  void eightConcurrentAppendersGetEveryNumberExactlyOnce() throws Exception {
    int threads = 8;
    int each = 25;
    List<List<Long>> numbers = Concurrently.run(threads, t -> {
      List<Long> mine = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        mine.add(storage.audit().append(entry("thread " + t + " entry " + i)));
      }
      return mine;
    });

    List<Long> all = numbers.stream().flatMap(List::stream).sorted().toList();
    List<Long> expected = LongStream.rangeClosed(1, threads * each).boxed().toList();
    assertThat(all).isEqualTo(expected);
    assertThat(storage.audit().read(1, 1000)).extracting(StoredAuditEntry::sequence).isEqualTo(expected);
    assertThat(storage.audit().lastSequence()).isEqualTo(threads * each);
  }

  @Test
  void entriesCanBeFoundByCitizenAndByMessage() {
    AuditEvent about = new AuditEvent.ConsentDecided(Instant.parse("2025-03-03T08:00:00Z"), "nurse",
        Optional.of(Fixtures.cpr("0101011234")), "msg-9", "gp", true, Optional.empty(), List.of());
    storage.audit().append(entry("unrelated"));
    storage.audit().append(about);

    assertThat(storage.audit().about(List.of(Fixtures.replacementCpr("x"), Fixtures.cpr("0101011234"))))
        .extracting(StoredAuditEntry::sequence).containsExactly(2L);
    assertThat(storage.audit().forMessage("msg-9")).extracting(StoredAuditEntry::sequence).containsExactly(2L);
  }
}
