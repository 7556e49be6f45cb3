package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** May these items about this citizen (all its identifier tokens) go to this recipient, for this purpose, now? */
public record ModelRequest(Set<String> citizen, ModelRecipient recipient, String purpose, List<ModelItem> items,
    String focusReference, Instant at) {

  public ModelRequest {
    citizen = Set.copyOf(citizen);
    items = List.copyOf(items);
  }

  public ModelItem focus() {
    return items.stream().filter(i -> i.reference().equals(focusReference)).findFirst().orElseThrow();
  }
}
