package dk.brobygger.delivery;

import java.util.Objects;

/** Applies {@link Minimisation} with the decision the re-check just took (decide, then redact). */
final class MinimisationStage implements AttemptStage {

  private final Minimisation minimisation;

  MinimisationStage(Minimisation minimisation) {
    this.minimisation = Objects.requireNonNull(minimisation, "minimisation");
  }

  @Override
  public AttemptState apply(AttemptState state) {
    var permit = state.recheck().orElseThrow(() -> new IllegalStateException("minimisation before the consent re-check"));
    byte[] minimised = minimisation.apply(state.disclosure(), permit);
    return state.withMinimised(Objects.requireNonNull(minimised, "minimisation returned nothing"));
  }
}
