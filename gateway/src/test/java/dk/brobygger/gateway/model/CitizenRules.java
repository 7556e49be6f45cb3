package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The citizen level on top of {@link ConsentModel}: who the identifiers of a message name, and
 * which of the citizen's consents decide. Two statements of it:
 *
 * <ul>
 *   <li>{@link #intended} (issue 14, "Consent holes"): every identifier in a message must name one
 *       citizen, identical or linked, else the message is refused (422, "the message names more
 *       than one citizen"); every consent under any of the citizen's identifiers counts; and a
 *       withdrawal under any linked identifier wins over a permit under another recorded before
 *       it ({@link ConsentModel}'s withdrawal rule; a consent recorded after it permits again).
 *   <li>{@link #asBuiltBefore14}: the identifiers of a message and everything linked to them are
 *       one citizen, and a withdrawn consent is simply no longer counted.
 * </ul>
 *
 * Where the two differ the gateway is in one of the holes another engineer is closing; a run
 * either tolerates that (and counts it) or demands the intended rule.
 */
public final class CitizenRules {

  /** What the gateway should answer to a message, and on a permit what it may disclose. */
  public record Expectation(Outcome outcome, ModelDecision decision) {
    public static final Expectation NOT_ONE_CITIZEN = new Expectation(Outcome.REFUSED_NOT_ONE_CITIZEN, ModelDecision.DENY);
  }

  public enum Outcome { PERMIT, DENY, REFUSED_NOT_ONE_CITIZEN }

  /** Current version of every consent, by id, in the order recorded. */
  private final Map<String, ModelConsent> consents = new LinkedHashMap<>();
  /** Groups of identifiers recorded as one citizen. */
  private final List<Set<String>> links = new ArrayList<>();

  public void record(ModelConsent consent) {
    consents.put(consent.id(), consent);
  }

  public Optional<ModelConsent> consent(String id) {
    return Optional.ofNullable(consents.get(id));
  }

  public List<ModelConsent> consents() {
    return List.copyOf(consents.values());
  }

  public void link(Set<String> identifiers) {
    Set<String> merged = new HashSet<>(identifiers);
    links.removeIf(group -> {
      if (group.stream().anyMatch(merged::contains)) {
        merged.addAll(group);
        return true;
      }
      return false;
    });
    links.add(merged);
  }

  /** The identifier and every identifier linked to it. */
  public Set<String> citizenOf(String identifier) {
    return links.stream().filter(g -> g.contains(identifier)).findFirst().map(Set::copyOf).orElse(Set.of(identifier));
  }

  public CitizenRules copy() {
    CitizenRules copy = new CitizenRules();
    copy.consents.putAll(consents);
    links.forEach(g -> copy.links.add(Set.copyOf(g)));
    return copy;
  }

  public Expectation intended(Set<String> messageIdentifiers, ModelRecipient recipient, String purpose,
      List<ModelItem> items, String focus, Instant at) {
    Set<String> citizen = citizenOf(messageIdentifiers.iterator().next());
    if (!citizen.containsAll(messageIdentifiers)) {
      return Expectation.NOT_ONE_CITIZEN;
    }
    return expectation(ConsentModel.decide(consents(), new ModelRequest(citizen, recipient, purpose, items, focus, at)));
  }

  public Expectation asBuiltBefore14(Set<String> messageIdentifiers, ModelRecipient recipient, String purpose,
      List<ModelItem> items, String focus, Instant at) {
    Set<String> citizen = new HashSet<>();
    messageIdentifiers.forEach(id -> citizen.addAll(citizenOf(id)));
    // before issue 14 a withdrawn consent was simply not counted
    List<ModelConsent> active = consents().stream().filter(ModelConsent::active).toList();
    return expectation(ConsentModel.decide(active, new ModelRequest(citizen, recipient, purpose, items, focus, at)));
  }

  private static Expectation expectation(ModelDecision decision) {
    return new Expectation(decision.permitted() ? Outcome.PERMIT : Outcome.DENY, decision);
  }
}
