package dk.brobygger.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Registers the attempt as in flight before its consent re-check (see {@link DisclosureFence}), with
 * the time by which it will have ended: the connect and response timeouts of its HTTP call plus
 * {@link #PREPARATION} for re-check, minimisation and sealing. If it cannot register, nothing is
 * sent (the stage's exception settles the attempt for a later retry).
 */
final class FenceEntryStage implements AttemptStage {

  /** Time allowed between the start of an attempt and its POST. */
  static final Duration PREPARATION = Duration.ofSeconds(5);

  private final DisclosureFence fence;
  private final DeliveryPolicy policy;

  FenceEntryStage(DisclosureFence fence, DeliveryPolicy policy) {
    this.fence = fence;
    this.policy = policy;
  }

  /** When an attempt that started at {@code startedAt} has ended, whatever the recipient does. */
  static Instant mustEndBy(Instant startedAt, DeliveryPolicy policy) {
    return startedAt.plus(PREPARATION).plus(policy.connectTimeout()).plus(policy.responseTimeout());
  }

  @Override
  public AttemptState apply(AttemptState state) {
    fence.enter(state.disclosure(), mustEndBy(state.startedAt(), policy));
    return state;
  }
}
