package dk.brobygger.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.db.StorageSettings;
import dk.brobygger.gateway.testing.StorageTest;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.storage.TestStorage;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pages of the operator's Task search, now that each kind of Task is read only up to the page's end
 * in its own index order: every page at every _offset is the next slice of one newest-first list of
 * delivery Tasks and inbox items together, also under the recipient and event filters (the event as
 * the database copies it from the message onto its Tasks).
 */
@StorageTest
class TaskSearchPagingTest {

  private static final int MESSAGES = 30;

  private TestStorage storage;
  private TaskSearch search;

  /** Message i at second i: every third an inbox item of the team, the others delivery Tasks to gp-0 or gp-1. */
  @BeforeEach
  void thirtyMessagesOfBothKinds(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
    search = new TaskSearch(storage.db());
    storage.db().inTransaction(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO message (message_id, received_at, received_from, event_system, event_code, sender_token,"
            + " destination_token, recipient_id, purpose_system, purpose_code, body, sent_by_party)"
            + " SELECT 'm' || lpad(i::text, 2, '0'), TIMESTAMPTZ '2026-11-30 00:00:00+00' + i * INTERVAL '1 second',"
            + "  'team@127.0.0.1', 'https://brobygger.dk/fhir/CodeSystem/message-events',"
            + "  CASE WHEN i % 2 = 0 THEN 'appointment-request' ELSE 'referral' END, NULL, 'urn:oid:1.2.208.176.1.1|1',"
            + "  'gp-' || i % 2, 'http://terminology.hl7.org/CodeSystem/v3-ActReason', 'TREAT', '\\x7b7d'::bytea, 'team'"
            + " FROM generate_series(1, " + MESSAGES + ") i");
        s.execute("INSERT INTO delivery_task (task_id, message_id, recipient_id, state, reason, attempts, created_at,"
            + " last_modified, basis_consent_id, basis_consent_version, version, business_status)"
            + " SELECT 't' || lpad(i::text, 2, '0'), 'm' || lpad(i::text, 2, '0'), 'gp-' || i % 2, 'COMPLETED', NULL, 1,"
            + "  TIMESTAMPTZ '2026-11-30 00:00:00+00' + i * INTERVAL '1 second', TIMESTAMPTZ '2026-11-30 01:00:00+00',"
            + "  NULL, NULL, 2, NULL FROM generate_series(1, " + MESSAGES + ") i WHERE i % 3 <> 0");
        s.execute("INSERT INTO inbox_item (item_id, message_id, owner_id, answers_message_id, state, received_at, version)"
            + " SELECT 'i' || lpad(i::text, 2, '0'), 'm' || lpad(i::text, 2, '0'), 'team', NULL, 'NEW',"
            + "  TIMESTAMPTZ '2026-11-30 00:00:00+00' + i * INTERVAL '1 second', 1"
            + " FROM generate_series(3, " + MESSAGES + ", 3) i");
      }
      return null;
    });
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void everyPageAtEveryOffsetIsTheNextSliceOfAllTasksNewestFirst() {
    List<String> newestFirst = IntStream.iterate(MESSAGES, i -> i >= 1, i -> i - 1)
        .mapToObj(i -> (i % 3 == 0 ? "i" : "t") + String.format("%02d", i)).toList();

    assertThat(pages(query(Optional.empty(), Set.of()), 4)).isEqualTo(newestFirst);
    assertThat(pages(query(Optional.empty(), Set.of()), 7)).isEqualTo(newestFirst);
  }

  @Test
  void oneRecipientAndOneEventPageTheSameWay() {
    List<String> toGp0 = IntStream.iterate(MESSAGES, i -> i >= 1, i -> i - 1)
        .filter(i -> i % 3 != 0 && i % 2 == 0).mapToObj(i -> String.format("t%02d", i)).toList();
    List<String> appointments = IntStream.iterate(MESSAGES, i -> i >= 1, i -> i - 1)
        .filter(i -> i % 2 == 0).mapToObj(i -> (i % 3 == 0 ? "i" : "t") + String.format("%02d", i)).toList();

    assertThat(pages(query(Optional.of("gp-0"), Set.of()), 3)).isEqualTo(toGp0);
    assertThat(pages(query(Optional.empty(), Set.of("appointment-request")), 4)).as("the event copied onto each Task")
        .isEqualTo(appointments);
    assertThat(search.count(query(Optional.empty(), Set.of("appointment-request")), Visibility.everything()))
        .isEqualTo(appointments.size());
  }

  private List<String> pages(TaskQuery query, int size) {
    List<String> all = new ArrayList<>();
    for (long offset = 0; ; offset += size) {
      List<TaskSearch.Found> page = search.search(query, Visibility.everything(), offset, size);
      page.forEach(found -> all.add(found.id()));
      if (page.size() < size) {
        return all;
      }
    }
  }

  private static TaskQuery query(Optional<String> owner, Set<String> events) {
    return new TaskQuery(Optional.empty(), owner, Set.of(), Set.of(), EnumSet.allOf(TaskQuery.Kind.class), events,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
