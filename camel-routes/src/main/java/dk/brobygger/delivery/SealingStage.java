package dk.brobygger.delivery;

import dk.brobygger.delivery.seal.SealingRefused;

import java.util.Objects;
import java.util.Optional;

/** Applies {@link Sealing} to what minimisation left; its output is exactly what is sent. */
final class SealingStage implements AttemptStage {

  private final Sealing sealing;

  SealingStage(Sealing sealing) {
    this.sealing = Objects.requireNonNull(sealing, "sealing");
  }

  @Override
  public AttemptState apply(AttemptState state) {
    byte[] minimised = state.minimised().orElseThrow(() -> new IllegalStateException("sealing before minimisation"));
    SealedPayload sealed;
    try {
      sealed = sealing.seal(state.disclosure(), minimised);
    } catch (SealingRefused refused) {
      // the directory says this recipient may not get unencrypted data: trying again changes nothing
      return state.failed(refused.getMessage(), Optional.empty(), false);
    }
    return state.withSealed(Objects.requireNonNull(sealed, "sealing returned nothing"));
  }
}
