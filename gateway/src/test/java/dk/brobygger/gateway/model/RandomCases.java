package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of consents and requests over a deliberately small vocabulary, so that
 * criteria often meet and times often fall on period boundaries.
 */
public final class RandomCases {

  public static final String CPR_A = "urn:oid:1.2.208.176.1.2|0101801234";
  public static final String LOCAL_A = "https://brobygger.dk/sid/outreach-citizen|svendborg-0042";
  public static final String CPR_OTHER = "urn:oid:1.2.208.176.1.2|0202802345";
  public static final List<ModelRecipient> RECIPIENTS = List.of(
      new ModelRecipient("laegehuset-sydfyn", "gp", "123451000016008"),
      new ModelRecipient("svendborg-sygehus", "hospital", "663101000016005"),
      new ModelRecipient("behandlingscenter-svendborg", "addiction-centre", "447101000016003"));
  static final List<String> ACTORS = List.of(
      "kind:gp", "kind:hospital", "kind:addiction-centre", "kind:home-care",
      "sor:123451000016008", "sor:663101000016005", "sor:447101000016003",
      "org:laegehuset-sydfyn", "org:svendborg-sygehus", "org:behandlingscenter-svendborg");
  public static final List<String> PURPOSES = List.of("TREAT", "ETREAT", "HRESCH");
  static final List<String> ACTIONS = List.of("disclose", "access", "use", "collect");
  static final List<String> CLASSES = List.of("ServiceRequest", "Condition", "Observation", "Appointment");
  public static final List<String> LABELS = List.of("SUD", "ETH", "PSY", "HIV");
  public static final List<String> CODES = List.of("F10", "F10.2", "F11.2", "F20.0", "B20", "J44.1", "E11.9");
  public static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private final SplittableRandom random;
  /** Generated times are whole steps of this many seconds around T0 (plus a few seconds' jitter when on). */
  private final long step;
  private final int span;
  private final boolean jitter;
  private final boolean untyped;

  /** For the evaluator: hours within three days of T0, seconds of jitter, some unreadable provisions. */
  public RandomCases(long seed) {
    this(seed, 3600, 72, true, true);
  }

  /**
   * @param step seconds between generated times
   * @param span how many steps either side of T0
   * @param jitter whether to add a few seconds (to hit second boundaries)
   * @param untyped whether to write the odd provision without a type
   */
  public RandomCases(long seed, long step, int span, boolean jitter, boolean untyped) {
    this.random = new SplittableRandom(seed);
    this.step = step;
    this.span = span;
    this.jitter = jitter;
    this.untyped = untyped;
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  public int between(int lowInclusive, int highInclusive) {
    return random.nextInt(lowInclusive, highInclusive + 1);
  }

  public <T> T oneOf(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  public Set<String> some(List<String> values, double p) {
    Set<String> chosen = new LinkedHashSet<>();
    if (chance(p)) {
      int n = between(1, 2);
      for (int i = 0; i < n; i++) {
        chosen.add(oneOf(values));
      }
    }
    return chosen;
  }

  /** Whole steps around T0, sometimes a few seconds off. */
  public Instant moment() {
    return T0.plusSeconds(between(-span, span) * step + (jitter && chance(0.3) ? between(-2, 2) : 0));
  }

  /** A decision time: often just before, on, or just after a whole second, so ends are tested. */
  public Instant decisionTime(List<Instant> boundaries) {
    Instant base = boundaries.isEmpty() || chance(0.3) ? moment() : oneOf(boundaries);
    return base.plusMillis(oneOf(List.of(-1L, 0L, 0L, 1L, 999L, 1000L, 1001L, (long) between(0, 3_600_000))));
  }

  public Optional<Window> window(double p) {
    if (!chance(p)) {
      return Optional.empty();
    }
    Optional<Instant> start = chance(0.8) ? Optional.of(moment()) : Optional.empty();
    Optional<Instant> end = chance(0.8)
        ? Optional.of(start.orElse(moment()).plusSeconds(between(0, span) * step + (jitter ? between(0, 2) : 0)))
        : Optional.empty();
    // a Period with neither end is no period at all in FHIR (HAPI drops it): generate none
    return start.isEmpty() && end.isEmpty() ? Optional.empty() : Optional.of(new Window(start, end));
  }

  public Provision provision(int depth) {
    Provision.Type type = untyped && chance(0.01) ? Provision.Type.UNTYPED
        : depth == 0 ? (chance(0.8) ? Provision.Type.PERMIT : Provision.Type.DENY)
        : (chance(0.7) ? Provision.Type.DENY : Provision.Type.PERMIT);
    List<Provision> nested = new ArrayList<>();
    int exceptions = depth >= 2 ? 0 : between(0, depth == 0 ? 3 : 2);
    for (int i = 0; i < exceptions; i++) {
      nested.add(provision(depth + 1));
    }
    return new Provision(type,
        window(depth == 0 ? 0.7 : 0.1),
        some(ACTORS, depth == 0 ? 0.8 : 0.2),
        some(ACTIONS, 0.1),
        some(PURPOSES, depth == 0 ? 0.7 : 0.15),
        some(CLASSES, depth == 0 ? 0.1 : 0.3),
        some(LABELS, depth == 0 ? 0.05 : 0.4),
        some(CODES, depth == 0 ? 0.05 : 0.3),
        window(depth == 0 ? 0.05 : 0.15),
        nested);
  }

  public List<ModelConsent> consents() {
    List<ModelConsent> consents = new ArrayList<>();
    int n = between(0, 4);
    for (int i = 0; i < n; i++) {
      consents.add(new ModelConsent("c" + i, between(1, 3), oneOf(List.of(CPR_A, CPR_A, LOCAL_A, CPR_OTHER)),
          chance(0.85), chance(0.9) ? Optional.of(moment()) : Optional.empty(), provision(0)));
    }
    return consents;
  }

  public ModelItem item(String reference, String type) {
    Set<String> codes = some(CODES, 0.6);
    Set<String> labels = new LinkedHashSet<>(some(LABELS, 0.15));
    codes.forEach(c -> labels.addAll(Icd10.labels(c)));
    return new ModelItem(reference, type, labels, codes, chance(0.8) ? Optional.of(moment()) : Optional.empty());
  }

  public ModelRequest request(List<ModelConsent> consents) {
    List<ModelItem> items = new ArrayList<>();
    ModelItem focus = chance(0.8)
        ? new ModelItem("urn:uuid:focus", "ServiceRequest", Set.of(), Set.of(), Optional.empty())
        : item("urn:uuid:focus", "ServiceRequest");
    items.add(focus);
    int more = between(0, 4);
    for (int i = 0; i < more; i++) {
      items.add(item("urn:uuid:item-" + i, oneOf(List.of("Condition", "Observation", "Condition"))));
    }
    List<Instant> boundaries = new ArrayList<>();
    for (ModelConsent consent : consents) {
      consent.recordedAt().ifPresent(boundaries::add);
      consent.root().period().ifPresent(w -> {
        w.start().ifPresent(boundaries::add);
        w.end().ifPresent(boundaries::add);
      });
    }
    Set<String> citizen = oneOf(List.of(Set.of(CPR_A), Set.of(CPR_A, LOCAL_A), Set.of(LOCAL_A)));
    return new ModelRequest(citizen, oneOf(RECIPIENTS), oneOf(List.of("TREAT", "TREAT", "ETREAT", "HRESCH")),
        items, "urn:uuid:focus", decisionTime(boundaries));
  }
}
