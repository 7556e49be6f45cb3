package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What makes a withdrawal's answer a fence, implemented by the gateway's storage so that it holds
 * across gateway instances on one database. An attempt is registered as in flight, durably, before
 * its consent re-check, and leaves once its outcome is recorded; a withdrawal that committed waits
 * for the attempts of its citizen that started before it. Before the bytes leave, the attempt
 * durably records what it is about to send, so a delivery whose outcome is never recorded still
 * leaves a trace. Each method throws when it cannot record: the attempt then sends nothing.
 *
 * <p>A withdrawal does not only wait: it asks the instances sending that citizen's data to abort
 * their HTTP calls ({@link #abortsRequested}), so a recipient that trickles its answer cannot hold
 * the withdrawal's answer, nor keep receiving bytes after it.
 */
public interface DisclosureFence {

  /**
   * Registers the attempt as in flight until it leaves, or at the latest until {@code mustEndBy}:
   * by then the attempt has given up its HTTP call.
   */
  void enter(Disclosure disclosure, Instant mustEndBy);

  /**
   * Records "sending payload sha256 X to recipient R under consent C version v", committed, with
   * what minimisation left in ({@code minimised}, the bytes that were sealed) and took out.
   */
  void sending(Disclosure disclosure, Decision recheck, byte[] minimised, String sealedSha256);

  /** The attempt's outcome is recorded: it no longer holds back a withdrawal. */
  void leave(AttemptOutcome outcome);

  /**
   * Of the given attempts, whose HTTP calls are in progress on this instance, those that a
   * withdrawal (on any instance) asked to abort, each with the withdrawal's description.
   */
  Map<AttemptId, String> abortsRequested(Set<AttemptId> inProgress);
}
