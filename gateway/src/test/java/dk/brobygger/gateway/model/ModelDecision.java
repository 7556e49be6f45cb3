package dk.brobygger.gateway.model;

import java.util.Optional;
import java.util.Set;

/**
 * The model's answer: permitted or not; on a permit, the consent version it rests on, the items
 * kept back and the data classes ("class:", "label:", "code:") whose deny kept them back.
 */
public record ModelDecision(boolean permitted, Optional<String> basis, Set<String> keptBack, Set<String> keptBackClasses) {

  public static final ModelDecision DENY = new ModelDecision(false, Optional.empty(), Set.of(), Set.of());

  public ModelDecision {
    keptBack = Set.copyOf(keptBack);
    keptBackClasses = Set.copyOf(keptBackClasses);
  }
}
