package dk.brobygger.gateway.storage;

import dk.brobygger.gateway.messages.Acceptance;
import dk.brobygger.gateway.messages.MessageArchive;
import dk.brobygger.gateway.db.Visibility;
import dk.brobygger.gateway.consent.ConsentStore;
import dk.brobygger.gateway.consent.StoredConsent;
import dk.brobygger.gateway.db.StorageSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.messages.MessageRefusal;
import dk.brobygger.gateway.consent.ConsentRefusal;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.testing.StorageTest;
import java.util.Optional;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A party sees only what it recorded, sent or received; the stores filter by it in their queries.
 * Actors are written as the HTTP layer writes them: {@code party@address}.
 */
@StorageTest
class PartyVisibilityTest {

  static final CitizenIdentifier OLE = Fixtures.cpr("0101601234");
  static final Visibility TEAM_A = Visibility.of("svendborg-gadesygepleje");
  static final Visibility TEAM_B = Visibility.of("sundhedsteamet-kbh");

  TestStorage storage;
  Recipient teamA = Fixtures.recipient("svendborg-gadesygepleje", "outreach");
  Recipient hospital = Fixtures.recipient("svendborg-sygehus", "hospital");

  @BeforeEach
  void open(StorageSettings fresh) {
    storage = TestStorage.open(fresh);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aConsentIsSeenReadSearchedAndChangedOnlyByThePartyThatRecordedItAndThePrivacyOfficer() {
    ConsentStore consents = storage.consents();
    StoredConsent a = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "svendborg-gadesygepleje@10.0.0.1");
    StoredConsent b = consents.create(Fixtures.consent(OLE, ConsentState.ACTIVE), "sundhedsteamet-kbh@10.0.0.2");

    assertThat(consents.current(a.id(), TEAM_A)).isPresent();
    assertThat(consents.current(a.id(), TEAM_B)).isEmpty();
    assertThat(consents.version(a.id(), 1, TEAM_B)).isEmpty();
    assertThat(consents.history(a.id(), TEAM_B)).isEmpty();
    assertThat(consents.history(a.id(), TEAM_A)).hasSize(1);
    assertThat(consents.search(Optional.of(OLE), Optional.empty(), TEAM_A)).extracting(StoredConsent::id).containsExactly(a.id());
    assertThat(consents.search(Optional.empty(), Optional.of("active"), TEAM_B)).extracting(StoredConsent::id).containsExactly(b.id());
    assertThat(consents.search(Optional.of(OLE), Optional.empty(), Visibility.everything()))
        .extracting(StoredConsent::id).containsExactlyInAnyOrder(a.id(), b.id());

    assertThatThrownBy(() -> consents.update(a.id(), Fixtures.consent(OLE, ConsentState.INACTIVE), Optional.empty(),
        TEAM_B, "sundhedsteamet-kbh@10.0.0.2"))
        .isInstanceOfSatisfying(ConsentRefusal.UnknownConsent.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.NOT_FOUND));
    assertThat(consents.current(a.id()).orElseThrow().status()).isEqualTo("active");
    assertThat(consents.update(a.id(), Fixtures.consent(OLE, ConsentState.INACTIVE), Optional.of(1L), TEAM_A,
        "svendborg-gadesygepleje@10.0.0.3").version()).isEqualTo(2);
    // a later version by the same team keeps the consent the team's
    assertThat(consents.history(a.id(), TEAM_A)).hasSize(2);
    assertThat(consents.history(a.id(), TEAM_B)).isEmpty();
  }

  @Test
  void aDeliveryTaskAndItsMessageAreSeenByTheirSenderTheTaskAlsoByItsRecipient() {
    Acceptance sent = storage.intake().accept(Fixtures.referral("msg-a", hospital, OLE), hospital,
        Fixtures.permit(new ConsentVersion("consent-1", 1)), "svendborg-gadesygepleje@10.0.0.1");
    MessageArchive archive = new MessageArchive(storage.db());

    assertThat(storage.tasks().find(sent.taskId(), TEAM_A)).isPresent();
    assertThat(storage.tasks().find(sent.taskId(), Visibility.of("svendborg-sygehus"))).isPresent();
    assertThat(storage.tasks().find(sent.taskId(), TEAM_B)).isEmpty();
    assertThat(storage.tasks().find(sent.taskId(), Visibility.everything())).isPresent();
    assertThat(archive.readable("msg-a", TEAM_A)).isPresent();
    assertThat(archive.readable("msg-a", TEAM_B)).isEmpty();
    assertThat(archive.readable("msg-a", Visibility.of("svendborg-sygehus"))).as("stored before minimisation").isEmpty();
    assertThat(archive.readable("msg-a", Visibility.everything())).isPresent();
  }

  @Test
  void anInboxItemAndItsMessageAreSeenByTheOwnerAndTheSender() {
    Acceptance received = storage.inbox().receive(Fixtures.referral("gp-msg", teamA, OLE), teamA, Fixtures.inbound(),
        Optional.empty(), "laegehuset-sydfyn@10.0.0.9");
    MessageArchive archive = new MessageArchive(storage.db());

    assertThat(storage.inbox().find(received.taskId(), TEAM_A)).isPresent();
    assertThat(storage.inbox().find(received.taskId(), Visibility.of("laegehuset-sydfyn"))).isPresent();
    assertThat(storage.inbox().find(received.taskId(), TEAM_B)).isEmpty();
    assertThat(archive.readable("gp-msg", TEAM_A)).isPresent();
    assertThat(archive.readable("gp-msg", Visibility.of("laegehuset-sydfyn"))).isPresent();
    assertThat(archive.readable("gp-msg", TEAM_B)).isEmpty();
  }

  @Test
  void anotherPartysMessageIdIsAConflictNotAWayToItsTask() {
    storage.intake().accept(Fixtures.referral("msg-a", hospital, OLE), hospital,
        Fixtures.permit(new ConsentVersion("consent-1", 1)), "svendborg-gadesygepleje@10.0.0.1");

    assertThatThrownBy(() -> storage.intake().accept(Fixtures.referral("msg-a", hospital, OLE), hospital,
        Fixtures.permit(new ConsentVersion("consent-2", 1)), "sundhedsteamet-kbh@10.0.0.2"))
        .isInstanceOfSatisfying(MessageRefusal.MessageIdReused.class, r -> assertThat(Fixtures.answeredAs(r)).isEqualTo(Rejected.Kind.CONFLICT));
    assertThat(storage.intake().accept(Fixtures.referral("msg-a", hospital, OLE), hospital,
        Fixtures.permit(new ConsentVersion("consent-1", 1)), "svendborg-gadesygepleje@10.0.0.7").duplicate()).isTrue();
  }
}
