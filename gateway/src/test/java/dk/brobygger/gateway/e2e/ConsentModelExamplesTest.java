package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.e2e.ConsentMachine.Deliver;
import dk.brobygger.gateway.e2e.ConsentMachine.Link;
import dk.brobygger.gateway.e2e.ConsentMachine.Op;
import dk.brobygger.gateway.e2e.ConsentMachine.Record;
import dk.brobygger.gateway.e2e.ConsentMachine.Send;
import dk.brobygger.gateway.e2e.ConsentMachine.Withdraw;
import dk.brobygger.gateway.model.Provision;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minimal operation sequences the model runs found, kept as examples. They run with the
 * tolerance of the default mode; with {@code -Dmodel.strict=true} the two issue-14 examples fail
 * until "Consent holes" is closed, and pass after.
 */
class ConsentModelExamplesTest {

  private static final Provision YES_TO_THE_GP = Provision.permit(Set.of("kind:gp"), Set.of());

  @TempDir Path temp;

  private ConsentMachine.Counts run(List<Op> ops) {
    try (ConsentMachine machine = new ConsentMachine(temp.resolve("data"), Boolean.parseBoolean(System.getProperty("model.strict", "true")))) {
      machine.run(ops);
      return machine.counts;
    }
  }

  /** Issue 14, "every identifier decides": A consented, B is another citizen; one Patient carries both. */
  @Test
  void aMessageNamingTwoUnlinkedCitizensIsRefusedAsNamingMoreThanOneCitizen() {
    ConsentMachine.Counts counts = run(List.of(
        new Record(ConsentMachine.CPR_A, YES_TO_THE_GP),
        new Send(0, "TREAT", Set.of(ConsentMachine.CPR_A, ConsentMachine.CPR_B), List.of()),
        new Deliver()));

    assertThat(counts.sends).isEqualTo(1);
  }

  /** Issue 14, "a deny or withdrawal under one wins": consents under two linked identifiers, one withdrawn. */
  @Test
  void aWithdrawalUnderOneLinkedIdentifierStopsDisclosureUnderTheOther() {
    ConsentMachine.Counts counts = run(List.of(
        new Record(ConsentMachine.CPR_A, YES_TO_THE_GP),
        new Record(ConsentMachine.LOCAL_A, YES_TO_THE_GP),
        new Link(),
        new Withdraw(1),
        new Send(0, "TREAT", Set.of(ConsentMachine.CPR_A), List.of()),
        new Deliver()));

    assertThat(counts.sends).isEqualTo(1);
  }

  /** The plain journey the model must get right: yes to the GP, a withdrawal, then a refusal. */
  @Test
  void aWithdrawnConsentNoLongerPermitsAndWhatWasSentBeforeArrivedOnce() {
    ConsentMachine.Counts counts = run(List.of(
        new Record(ConsentMachine.CPR_A, YES_TO_THE_GP),
        new Send(0, "TREAT", Set.of(ConsentMachine.CPR_A), List.of()),
        new Deliver(),
        new Withdraw(0),
        new Send(0, "TREAT", Set.of(ConsentMachine.CPR_A), List.of()),
        new Deliver()));

    assertThat(counts.accepted).isEqualTo(1);
    assertThat(counts.refused403).isEqualTo(1);
    assertThat(counts.delivered).isEqualTo(1);
  }
}
