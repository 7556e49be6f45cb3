package dk.brobygger.delivery;

import java.util.Objects;

/** Applies {@link Sealing} to what minimisation left; its output is exactly what is sent. */
final class SealingStage implements AttemptStage {

  private final Sealing sealing;

  SealingStage(Sealing sealing) {
    this.sealing = Objects.requireNonNull(sealing, "sealing");
  }

  @Override
  public AttemptState apply(AttemptState state) {
    byte[] minimised = state.minimised().orElseThrow(() -> new IllegalStateException("sealing before minimisation"));
    SealedPayload sealed = sealing.seal(state.disclosure(), minimised);
    return state.withSealed(Objects.requireNonNull(sealed, "sealing returned nothing"));
  }
}
