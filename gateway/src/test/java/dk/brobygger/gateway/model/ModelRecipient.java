package dk.brobygger.gateway.model;

import java.util.Set;

/** A recipient in the directory: the three ways a consent's actor can name it. */
public record ModelRecipient(String id, String kind, String sor) {

  public Set<String> designations() {
    return Set.of("kind:" + kind, "sor:" + sor, "org:" + id);
  }
}
