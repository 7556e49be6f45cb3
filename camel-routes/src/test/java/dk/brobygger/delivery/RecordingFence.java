package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A {@link DisclosureFence} that remembers, in order, what each attempt told it, and how many
 * requests the recipient had received at that moment.
 */
final class RecordingFence implements DisclosureFence {

  /** One call: which, for which task and attempt, and the recipient's request count then. */
  record Call(String what, String taskId, int attempt, int requestsReceived) {}

  private final List<Call> calls = new ArrayList<>();
  private final IntSupplier requestsReceived;
  private volatile boolean refuseSending;
  private final Map<Long, String> abortRequests = new ConcurrentHashMap<>();

  RecordingFence(IntSupplier requestsReceived) {
    this.requestsReceived = requestsReceived;
  }

  /** From now on {@link #sending} throws, as a database that cannot commit would. */
  void refuseSending() {
    refuseSending = true;
  }

  /** As a withdrawal does: asks whichever instance sends an attempt of this outbox row to abort it. */
  void requestAbort(long outboxId, String why) {
    abortRequests.put(outboxId, why);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  private synchronized void add(String what, Disclosure disclosure) {
    calls.add(new Call(what, disclosure.taskId(), disclosure.attempt(), requestsReceived.getAsInt()));
  }

  @Override
  public void enter(Disclosure disclosure, Instant mustEndBy) {
    add("enter", disclosure);
  }

  @Override
  public void sending(Disclosure disclosure, Decision recheck, byte[] minimised, String sealedSha256) {
    if (refuseSending) {
      throw new IllegalStateException("audit log unavailable");
    }
    add("sending", disclosure);
  }

  @Override
  public void leave(AttemptOutcome outcome) {
    add("leave " + outcome.result(), outcome.disclosure());
  }

  @Override
  public Map<AttemptId, String> abortsRequested(Set<AttemptId> inProgress) {
    Map<AttemptId, String> asked = new java.util.HashMap<>();
    for (AttemptId id : inProgress) {
      String why = abortRequests.get(id.outboxId());
      if (why != null) {
        asked.put(id, why);
      }
    }
    return asked;
  }
}
