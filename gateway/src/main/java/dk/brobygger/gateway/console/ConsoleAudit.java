package dk.brobygger.gateway.console;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The one place the console writes audit entries of its own: reads of a citizen's data and
 * refusals. What a person changes (a consent, a referral, a linked identifier) is audited by the
 * store or ingress stage that changes it, with the person's actor ({@link ConsolePerson#actor}).
 */
public final class ConsoleAudit {

  /** Records a refused request; the gateway counts repeats instead of repeating them. */
  @FunctionalInterface
  public interface Refusals {
    void record(String actor, String request, int status, String why);
  }

  /**
   * The gateway's refusal budget per client address (the API's, http/RefusalBudget): a failed
   * sign-in spends from it, and an address that has spent it is refused sign-in until it refills.
   *
   * @param retryAfterSeconds whole seconds until the address may try again; 0 while it has budget left
   * @param spend takes one refusal from the address's budget
   */
  public record RefusalBudget(ToLongFunction<String> retryAfterSeconds, Consumer<String> spend) {
    public RefusalBudget {
      Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
      Objects.requireNonNull(spend, "spend");
    }
  }

  private final AuditLog audit;
  private final Refusals refusals;
  private final RefusalBudget budget;
  private final Clock clock;

  public ConsoleAudit(AuditLog audit, Refusals refusals, RefusalBudget budget, Clock clock) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A person read a citizen's data (or searched for a citizen) through the console. Recorded as a
   * consent-registry read, the kind of read the privacy officer's timeline already shows.
   */
  public void read(ConsoleRequest request, Optional<CitizenIdentifier> citizen, String what) {
    audit.append(new AuditEvent.ConsentRead(clock.instant(), request.actor(), citizen, Optional.empty(),
        List.of("console: " + what)));
  }

  /** A console request refused (no access for the role, a missing CSRF token, a failed sign-in). */
  public void refused(String actor, String request, int status, String why) {
    refusals.record(actor, request, status, "console: " + why);
  }

  /** A sign-in refused (an answer no sign-in waits for, no role, a forged form): audited, and spends the budget. */
  public void refusedSignIn(String address, String request, String why) {
    budget.spend().accept(address);
    refused("unauthenticated@" + address, request, 403, "sign-in refused: " + why);
  }

  /** Whole seconds until the address may try to sign in again; 0 while its refusal budget lasts. */
  public long signInRetryAfterSeconds(String address) {
    return budget.retryAfterSeconds().applyAsLong(address);
  }
}
