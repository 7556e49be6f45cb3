package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.DeliveryTask;
import dk.brobygger.gateway.inbox.InboxItem;
import dk.brobygger.gateway.inbox.InboxState;
import dk.brobygger.gateway.outbox.TaskState;
import dk.brobygger.gateway.auditlog.entries.AuditAction;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.CanonicalAuditJson;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.gateway.inbox.InboxRefusal;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.ReceivedMessage;
import dk.brobygger.gateway.testing.StorageTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@StorageTest
class InboxTest {

  static final ConsentVersion BASIS = new ConsentVersion("consent-1", 1);

  TestStorage storage;
  Recipient team = Fixtures.recipient("sundhedsteamet-kbh", "outreach");
  Recipient otherTeam = Fixtures.recipient("gadesygeplejerske-svendborg", "outreach");
  Recipient hospital = Fixtures.recipient("svendborg-sygehus", "hospital");

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private Acceptance receiveReferral(String messageId) {
    return storage.inbox().receive(Fixtures.referral(messageId, team, Fixtures.cpr("0101601234")), team,
        Fixtures.inbound(), Optional.empty(), "gp-system");
  }

  /** Our appointment request, accepted for delivery to the hospital: its delivery Task. */
  private Acceptance requestAppointment(String messageId) {
    return storage.intake().accept(Fixtures.referral(messageId, hospital, Fixtures.cpr("0101601234")), hospital,
        Fixtures.permit(BASIS), "nurse");
  }

  @Test
  void receivingStoresTheMessageItsCitizenANewItemAndItsAuditEntry() {
    ReceivedMessage m = Fixtures.referral("gp-msg-1", team, Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1"));

    Acceptance acceptance = storage.inbox().receive(m, team, Fixtures.inbound(), Optional.empty(), "gp-system");

    assertThat(acceptance.duplicate()).isFalse();
    InboxItem item = storage.inbox().find(acceptance.taskId()).orElseThrow();
    assertThat(item.messageId()).isEqualTo("gp-msg-1");
    assertThat(item.event()).isEqualTo("referral");
    assertThat(item.ownerId()).isEqualTo("sundhedsteamet-kbh");
    assertThat(item.senderToken()).contains(m.sender().orElseThrow().token());
    assertThat(item.answersMessageId()).isEmpty();
    assertThat(item.state()).isEqualTo(InboxState.NEW);
    assertThat(item.receivedAt()).isEqualTo(CanonicalAuditJson.storedPrecision(storage.clock().instant()));
    assertThat(item.handledAt()).isEmpty();
    assertThat(item.handledBy()).isEmpty();
    assertThat(item.version()).isEqualTo(1);
    assertThat(item.citizen()).containsExactly(Fixtures.cpr("0101601234"), Fixtures.replacementCpr("0101609XY1"));
    assertThat(storage.count("message")).isEqualTo(1);
    assertThat(storage.count("message_citizen")).isEqualTo(2);
    assertThat(storage.count("delivery_task")).isZero();
    assertThat(storage.count("outbox")).as("an inbound message is not delivered anywhere").isZero();

    List<StoredAuditEntry> entries = storage.audit().read(1, 10);
    assertThat(entries).hasSize(1);
    AuditEntry received = entries.get(0).entry();
    assertThat(received.action()).isEqualTo(AuditAction.MESSAGE_RECEIVED);
    assertThat(received.outcome().code()).isEqualTo("received");
    assertThat(received.actor()).isEqualTo("gp-system");
    assertThat(received.messageId()).contains("gp-msg-1");
    assertThat(received.recipientId()).contains("sundhedsteamet-kbh");
    assertThat(received.citizen()).contains(Fixtures.cpr("0101601234"));
    assertThat(received.reasons()).containsExactly("inbound message: no consent needed");
  }

  @Test
  void theSameMessageSentThreeTimesIsStoredOnceAndAnsweredWithTheSameItem() {
    Acceptance first = receiveReferral("gp-msg-1");
    Acceptance second = receiveReferral("gp-msg-1");
    Acceptance third = receiveReferral("gp-msg-1");

    assertThat(first.duplicate()).isFalse();
    assertThat(second).isEqualTo(new Acceptance(first.taskId(), true));
    assertThat(third).isEqualTo(second);
    assertThat(storage.count("message")).isEqualTo(1);
    assertThat(storage.count("inbox_item")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void concurrentDeliveriesOfOneMessageMakeOneItem() throws Exception {
    List<Acceptance> acceptances = Concurrently.run(6, t -> receiveReferral("gp-msg-1"));

    assertThat(acceptances).extracting(Acceptance::taskId).containsOnly(acceptances.get(0).taskId());
    assertThat(acceptances).filteredOn(a -> !a.duplicate()).hasSize(1);
    assertThat(storage.count("inbox_item")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void aMessageIdAlreadyUsedByAnOutboundMessageOrAnotherInboxIsAConflict() {
    requestAppointment("msg-1");
    receiveReferral("gp-msg-1");

    assertThatThrownBy(() -> receiveReferral("msg-1"))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThatThrownBy(() -> storage.inbox().receive(Fixtures.referral("gp-msg-1", otherTeam, Fixtures.cpr("0101601234")),
        otherTeam, Fixtures.inbound(), Optional.empty(), "gp-system"))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThatThrownBy(() -> storage.intake().accept(Fixtures.referral("gp-msg-1", hospital, Fixtures.cpr("0101601234")),
        hospital, Fixtures.permit(BASIS), "nurse"))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThat(storage.count("inbox_item")).isEqualTo(1);
    assertThat(storage.count("delivery_task")).isEqualTo(1);
    assertThat(storage.count("audit_log")).isEqualTo(2);
  }

  @Test
  void whenTheAuditEntryCannotBeWrittenNothingOfTheMessageIsStored() throws SQLException {
    Acceptance request = requestAppointment("msg-1");
    occupyNextAuditSequence();

    assertThatThrownBy(() -> storage.inbox().receive(
        Fixtures.appointmentResponse("answer-1", team, AppointmentStatus.BOOKED, Fixtures.cpr("0101601234")), team,
        Fixtures.inbound(), Optional.of("msg-1"), "hospital-system"))
        .isInstanceOf(Failed.class);

    assertThat(storage.count("message")).isEqualTo(1);
    assertThat(storage.count("message_citizen")).isEqualTo(1);
    assertThat(storage.count("inbox_item")).isZero();
    assertThat(storage.count("task_answer")).isZero();
    DeliveryTask task = storage.tasks().find(request.taskId()).orElseThrow();
    assertThat(task.businessStatus()).isEmpty();
    assertThat(task.version()).isEqualTo(1);
  }

  /** Takes the audit sequence number the next append draws, so that append fails on a duplicate key. */
  private void occupyNextAuditSequence() throws SQLException {
    long next = storage.audit().lastSequence() + 1;
    try (Connection c = storage.db().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement(
            "INSERT INTO audit_log (seq, action, recorded_at, actor, outcome, canonical_json)"
                + " VALUES (?, 'AUDIT_READ', CURRENT_TIMESTAMP, 'test', 'occupied', '{}')")) {
      s.setLong(1, next);
      s.executeUpdate();
      c.commit();
    }
  }

  @Test
  void aBookedAppointmentAnswerUpdatesEveryDeliveryTaskOfTheRequestAndLandsInTheInbox() {
    Acceptance request = requestAppointment("msg-1");
    long versionBefore = storage.tasks().find(request.taskId()).orElseThrow().version();
    storage.clock().advance(Duration.ofHours(2));

    Acceptance answer = storage.inbox().receive(
        Fixtures.appointmentResponse("answer-1", team, AppointmentStatus.BOOKED, Fixtures.cpr("0101601234")), team,
        Fixtures.inbound(), Optional.of("msg-1"), "hospital-system");

    DeliveryTask task = storage.tasks().find(request.taskId()).orElseThrow();
    assertThat(task.businessStatus()).contains("answered: booked");
    assertThat(task.answerMessageIds()).containsExactly("answer-1");
    assertThat(task.state()).as("an answer does not change the delivery state").isEqualTo(TaskState.REQUESTED);
    assertThat(task.version()).isEqualTo(versionBefore + 1);
    assertThat(task.lastModified()).isEqualTo(CanonicalAuditJson.storedPrecision(storage.clock().instant()));
    InboxItem item = storage.inbox().find(answer.taskId()).orElseThrow();
    assertThat(item.event()).isEqualTo("appointment-response");
    assertThat(item.answersMessageId()).contains("msg-1");
    AuditEntry received = storage.audit().forMessage("answer-1").get(0).entry();
    assertThat(received.action()).isEqualTo(AuditAction.MESSAGE_RECEIVED);
    assertThat(received.reasons()).containsExactly(
        "inbound message: no consent needed",
        "answers message msg-1: answered: booked (Task " + request.taskId() + ")");
  }

  @Test
  void aDeclinedAnswerAfterABookedOneIsLinkedTooAndItsStatusWins() {
    Acceptance request = requestAppointment("msg-1");
    storage.inbox().receive(Fixtures.appointmentResponse("answer-1", team, AppointmentStatus.BOOKED), team,
        Fixtures.inbound(), Optional.of("msg-1"), "hospital-system");
    storage.clock().advance(Duration.ofDays(1));

    storage.inbox().receive(Fixtures.appointmentResponse("answer-2", team, AppointmentStatus.CANCELLED), team,
        Fixtures.inbound(), Optional.of("msg-1"), "hospital-system");

    DeliveryTask task = storage.tasks().find(request.taskId()).orElseThrow();
    assertThat(task.businessStatus()).contains("answered: declined");
    assertThat(task.answerMessageIds()).containsExactly("answer-1", "answer-2");
  }

  @Test
  void anAnswerToAMessageTheGatewayNeverDeliveredIsRejectedAndStoresNothing() {
    assertThatThrownBy(() -> storage.inbox().receive(
        Fixtures.appointmentResponse("answer-1", team, AppointmentStatus.BOOKED), team, Fixtures.inbound(),
        Optional.of("never-sent"), "hospital-system"))
        .isInstanceOfSatisfying(MessageRefusal.NotDeliveredHere.class, r -> {
          assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).contains("never-sent");
        });
    assertThat(storage.count("message")).isZero();
    assertThat(storage.count("inbox_item")).isZero();
    assertThat(storage.count("audit_log")).isZero();
  }

  @Test
  void theInboxListsTheOwnersItemsNewestFirstAndFiltersByState() {
    Acceptance older = receiveReferral("gp-msg-1");
    storage.clock().advance(Duration.ofMinutes(5));
    Acceptance newer = receiveReferral("gp-msg-2");
    storage.inbox().receive(Fixtures.referral("gp-msg-3", otherTeam, Fixtures.cpr("0202602345")), otherTeam,
        Fixtures.inbound(), Optional.empty(), "gp-system");
    storage.inbox().markHandled(older.taskId(), Optional.empty(), "nurse");

    assertThat(storage.inbox().list("sundhedsteamet-kbh", Optional.empty()))
        .extracting(InboxItem::id).containsExactly(newer.taskId(), older.taskId());
    assertThat(storage.inbox().list("sundhedsteamet-kbh", Optional.of(InboxState.NEW)))
        .extracting(InboxItem::id).containsExactly(newer.taskId());
    assertThat(storage.inbox().list("sundhedsteamet-kbh", Optional.of(InboxState.HANDLED)))
        .extracting(InboxItem::id).containsExactly(older.taskId());
    assertThat(storage.inbox().list("sundhedsteamet-kbh", Optional.empty()).get(0).citizen())
        .containsExactly(Fixtures.cpr("0101601234"));
    assertThat(storage.inbox().list("nobody", Optional.empty())).isEmpty();
  }

  @Test
  void markingAnItemHandledRecordsWhoAndWhenAndAuditsIt() {
    Acceptance received = receiveReferral("gp-msg-1");
    storage.clock().advance(Duration.ofMinutes(30));

    InboxItem handled = storage.inbox().markHandled(received.taskId(), Optional.of(1L), "kbh-nurse");

    Instant now = CanonicalAuditJson.storedPrecision(storage.clock().instant());
    assertThat(handled.state()).isEqualTo(InboxState.HANDLED);
    assertThat(handled.handledAt()).contains(now);
    assertThat(handled.handledBy()).contains("kbh-nurse");
    assertThat(handled.version()).isEqualTo(2);
    assertThat(storage.inbox().find(received.taskId())).contains(handled);
    AuditEntry entry = storage.audit().read(2, 10).get(0).entry();
    assertThat(entry.action()).isEqualTo(AuditAction.INBOX_HANDLED);
    assertThat(entry.outcome().code()).isEqualTo("handled");
    assertThat(entry.actor()).isEqualTo("kbh-nurse");
    assertThat(entry.messageId()).contains("gp-msg-1");
    assertThat(entry.recipientId()).contains("sundhedsteamet-kbh");
    assertThat(entry.citizen()).contains(Fixtures.cpr("0101601234"));
    assertThat(entry.reasons()).containsExactly("inbox item Task/" + received.taskId() + " (referral) handled");
  }

  @Test
  void markingAHandledItemAgainChangesNothingAndAuditsNothing() {
    Acceptance received = receiveReferral("gp-msg-1");
    InboxItem first = storage.inbox().markHandled(received.taskId(), Optional.empty(), "kbh-nurse");
    storage.clock().advance(Duration.ofMinutes(1));

    InboxItem again = storage.inbox().markHandled(received.taskId(), Optional.of(1L), "other-nurse");

    assertThat(again).isEqualTo(first);
    assertThat(storage.count("audit_log")).isEqualTo(2);
  }

  @Test
  void markingAChangedItemWithAStaleVersionIsAConflictAndAnUnknownItemIsNotFound() {
    Acceptance received = receiveReferral("gp-msg-1");

    assertThatThrownBy(() -> storage.inbox().markHandled(received.taskId(), Optional.of(7L), "nurse"))
        .isInstanceOfSatisfying(InboxRefusal.StaleVersion.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThatThrownBy(() -> storage.inbox().markHandled("no-such-item", Optional.empty(), "nurse"))
        .isInstanceOfSatisfying(InboxRefusal.UnknownInboxItem.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.NOT_FOUND));
    assertThat(storage.inbox().find(received.taskId()).orElseThrow().state()).isEqualTo(InboxState.NEW);
    assertThat(storage.count("audit_log")).isEqualTo(1);
  }

  @Test
  void inboxItemsAndDeliveryTasksNeverAnswerForEachOthersIds() {
    Acceptance delivery = requestAppointment("msg-1");
    Acceptance item = receiveReferral("gp-msg-1");

    assertThat(item.taskId()).isNotEqualTo(delivery.taskId());
    assertThat(storage.tasks().find(item.taskId())).isEmpty();
    assertThat(storage.inbox().find(delivery.taskId())).isEmpty();
    assertThat(storage.tasks().find(delivery.taskId())).isPresent();
    assertThat(storage.inbox().find(item.taskId())).isPresent();
  }

  @Test
  void receiveTakesOnlyADecisionThatLetsTheMessageIn() {
    assertThatThrownBy(() -> storage.inbox().receive(Fixtures.referral("gp-msg-1", team), team,
        Fixtures.deny("sender not allowed"), Optional.empty(), "gp-system"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(storage.count("message")).isZero();
  }
}
