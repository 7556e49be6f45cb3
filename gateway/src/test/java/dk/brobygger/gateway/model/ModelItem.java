package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** One resource of a message: its reference, type, sensitivity labels, ICD-10 codes, data time. */
public record ModelItem(String reference, String type, Set<String> labels, Set<String> codes, Optional<Instant> time) {

  public ModelItem {
    labels = Set.copyOf(labels);
    codes = Set.copyOf(codes);
  }
}
