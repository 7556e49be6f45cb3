package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

  /**
   * Current version of every consent, by the identifier it is under, then by id in the order
   * recorded. A copy shares the inner maps and {@link #record} replaces the one it changes, so that
   * a long run can keep one copy per consent state without copying every consent each time.
   */
  private final Map<String, Map<String, ModelConsent>> byIdentifier;
  /** The identifier each consent id is under (a consent never moves; shared by all copies). */
  private final Map<String, String> identifierOf;
  /** Groups of identifiers recorded as one citizen. */
  private final List<Set<String>> links = new ArrayList<>();

  public CitizenRules() {
    this(new HashMap<>(), new HashMap<>());
  }

  private CitizenRules(Map<String, Map<String, ModelConsent>> byIdentifier, Map<String, String> identifierOf) {
    this.byIdentifier = byIdentifier;
    this.identifierOf = identifierOf;
  }

  public void record(ModelConsent consent) {
    Map<String, ModelConsent> under = new LinkedHashMap<>(byIdentifier.getOrDefault(consent.citizen(), Map.of()));
    under.put(consent.id(), consent);
    byIdentifier.put(consent.citizen(), under);
    identifierOf.put(consent.id(), consent.citizen());
  }

  public Optional<ModelConsent> consent(String id) {
    return Optional.ofNullable(identifierOf.get(id))
        .flatMap(identifier -> Optional.ofNullable(byIdentifier.getOrDefault(identifier, Map.of()).get(id)));
  }

  /** Every consent, grouped by identifier. */
  public List<ModelConsent> consents() {
    return byIdentifier.values().stream().flatMap(under -> under.values().stream()).toList();
  }

  /** The consents under any of these identifiers (the only ones a decision about them reads). */
  public List<ModelConsent> consentsOf(Set<String> identifiers) {
    return identifiers.stream().sorted()
        .flatMap(identifier -> byIdentifier.getOrDefault(identifier, Map.of()).values().stream()).toList();
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
    CitizenRules copy = new CitizenRules(new HashMap<>(byIdentifier), identifierOf);
    links.forEach(g -> copy.links.add(Set.copyOf(g)));
    return copy;
  }

  public Expectation intended(Set<String> messageIdentifiers, ModelRecipient recipient, String purpose,
      List<ModelItem> items, String focus, Instant at) {
    Set<String> citizen = citizenOf(messageIdentifiers.iterator().next());
    if (!citizen.containsAll(messageIdentifiers)) {
      return Expectation.NOT_ONE_CITIZEN;
    }
    return expectation(ConsentModel.decide(consentsOf(citizen), new ModelRequest(citizen, recipient, purpose, items, focus, at)));
  }

  public Expectation asBuiltBefore14(Set<String> messageIdentifiers, ModelRecipient recipient, String purpose,
      List<ModelItem> items, String focus, Instant at) {
    Set<String> citizen = new HashSet<>();
    messageIdentifiers.forEach(id -> citizen.addAll(citizenOf(id)));
    // before issue 14 a withdrawn consent was simply not counted
    List<ModelConsent> active = consentsOf(citizen).stream().filter(ModelConsent::active).toList();
    return expectation(ConsentModel.decide(active, new ModelRequest(citizen, recipient, purpose, items, focus, at)));
  }

  private static Expectation expectation(ModelDecision decision) {
    return new Expectation(decision.permitted() ? Outcome.PERMIT : Outcome.DENY, decision);
  }
}
