package dk.brobygger.delivery;

import java.time.Clock;
import java.util.Optional;

/**
 * The last stage before the POST: durably records that this payload is about to be sent to this
 * recipient under this consent version (see {@link DisclosureFence#sending}). An attempt whose
 * preparation overran {@link FenceEntryStage#PREPARATION} is not sent now: its HTTP call could
 * outlast the time a withdrawal waits for it. A failure to record settles the attempt unsent.
 */
final class SendingRecordStage implements AttemptStage {

  private final DisclosureFence fence;
  private final Retries retries;
  private final Clock clock;

  SendingRecordStage(DisclosureFence fence, Retries retries, Clock clock) {
    this.fence = fence;
    this.retries = retries;
    this.clock = clock;
  }

  @Override
  public AttemptState apply(AttemptState state) {
    if (clock.instant().isAfter(state.startedAt().plus(FenceEntryStage.PREPARATION))) {
      return retries.afterTransientFailure(state,
          "not sent: preparing the attempt took longer than " + FenceEntryStage.PREPARATION, Optional.empty(), false);
    }
    String sha256 = state.sealedSha256().orElseThrow(() -> new IllegalStateException("recording a send before sealing"));
    fence.sending(state.disclosure(), state.recheck().orElseThrow(
        () -> new IllegalStateException("recording a send before the consent re-check")),
        state.minimised().orElseThrow(() -> new IllegalStateException("recording a send before minimisation")),
        sha256);
    return state;
  }
}
