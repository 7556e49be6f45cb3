package dk.brobygger.gateway.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The consent rules, stated a second time and as plainly as possible, to check the gateway
 * against. It shares no code with the production decision (no ConsentEvaluator, no
 * DisclosurePolicy, no HAPI): if both say the same on millions of random cases, either both are
 * right or both are wrong in the same way, which is much less likely.
 *
 * <p>The rules (FHIR R4 Consent, as the README states them):
 * <ol>
 *   <li>A consent counts when it is active, about one of the citizen's identifiers, not recorded
 *       after the moment asked about, and its base provision's period covers that moment. A
 *       withdrawn (inactive) consent never permits (but see the withdrawal rule below).
 *   <li>A provision applies to an item when every criterion it has matches (an absent criterion
 *       matches everything; within a criterion any listed value may match). Its type then holds,
 *       unless applicable nested provisions say otherwise: a nested deny wins over a nested permit,
 *       which wins over the parent's own type (nested provisions are exceptions, recursively).
 *   <li>An item may go only if some counting consent permits it and none denies it (deny wins,
 *       silence is a deny).
 *   <li>If the focus may not go, nothing goes. Otherwise the disclosure rests on the newest consent
 *       permitting the focus, and every other item that may not go is kept back.
 *   <li>A withdrawal wins (issue 14): a withdrawn consent that would count if it were active, and
 *       would then on its own let the focus go, is the citizen saying no to this disclosure. Every
 *       consent recorded at or before the latest such withdrawal, under any of the citizen's
 *       identifiers, no longer counts; one recorded after it does. A withdrawal or consent whose
 *       recording time is unknown is taken as newest or oldest respectively (fail closed).
 *   <li>A consent that counts but cannot be read (a provision without a type) makes the whole
 *       decision a deny: an error while deciding is a deny. "Counts" here ignores the period, as
 *       the gateway reads a consent before it looks at its period, and includes withdrawn
 *       consents, which are read to know what they withdrew. A consent whose base provision
 *       is empty (no type, no criteria, no exceptions: in FHIR that is no provision) says nothing.
 * </ol>
 */
public final class ConsentModel {

  private ConsentModel() {}

  public static ModelDecision decide(List<ModelConsent> consents, ModelRequest request) {
    ModelItem focus = request.focus();
    Optional<Instant> withdrawn = latestWithdrawalOf(focus, consents, request);
    List<ModelConsent> counting = new ArrayList<>();
    for (ModelConsent consent : consents) {
      if (consent.root().isEmpty()) {
        continue;
      }
      // a withdrawn consent is read too (to know what it withdrew), so it cannot be unreadable either
      if (ofThisCitizenByNow(consent, request) && !consent.root().readable()) {
        return ModelDecision.DENY;
      }
      boolean ofThisCitizenByNow = consent.active() && ofThisCitizenByNow(consent, request);
      boolean overtaken = withdrawn.map(at -> !consent.recordedAt().orElse(Instant.MIN).isAfter(at)).orElse(false);
      if (ofThisCitizenByNow && !overtaken && consent.root().period().map(p -> p.covers(request.at())).orElse(true)) {
        counting.add(consent);
      }
    }
    List<ModelConsent> permittingFocus = permitting(counting, focus, request);
    if (permittingFocus.isEmpty() || denies(counting, focus, request)) {
      return ModelDecision.DENY;
    }
    ModelConsent basis = permittingFocus.stream().min(NEWEST_FIRST).orElseThrow();
    Set<String> keptBack = new LinkedHashSet<>();
    Set<String> keptBackClasses = new LinkedHashSet<>();
    for (ModelItem item : request.items()) {
      if (item == focus) {
        continue;
      }
      if (permitting(counting, item, request).isEmpty() || denies(counting, item, request)) {
        keptBack.add(item.reference());
        for (ModelConsent consent : counting) {
          keptBackClasses.addAll(deniedClasses(consent.root(), item, request));
        }
      }
    }
    return new ModelDecision(true, Optional.of(basis.reference()), keptBack, keptBackClasses);
  }

  private static boolean ofThisCitizenByNow(ModelConsent consent, ModelRequest request) {
    return request.citizen().contains(consent.citizen())
        && consent.recordedAt().map(recorded -> !recorded.isAfter(request.at())).orElse(true);
  }

  /** When the latest withdrawal was recorded that, had it stayed active, would on its own let the focus go. */
  private static Optional<Instant> latestWithdrawalOf(ModelItem focus, List<ModelConsent> consents, ModelRequest request) {
    Optional<Instant> latest = Optional.empty();
    for (ModelConsent consent : consents) {
      boolean wouldCount = !consent.active() && !consent.root().isEmpty() && consent.root().readable()
          && ofThisCitizenByNow(consent, request)
          && consent.root().period().map(p -> p.covers(request.at())).orElse(true);
      if (wouldCount && rule(consent.root(), focus, request) == Ruling.PERMIT) {
        Instant at = consent.recordedAt().orElse(Instant.MAX);
        if (latest.isEmpty() || at.isAfter(latest.get())) {
          latest = Optional.of(at);
        }
      }
    }
    return latest;
  }

  /** Newest: latest recording time (undated is oldest), then highest version, then largest id. */
  static final Comparator<ModelConsent> NEWEST_FIRST =
      Comparator.comparing((ModelConsent c) -> c.recordedAt().orElse(Instant.MIN))
          .thenComparingLong(ModelConsent::version)
          .thenComparing(ModelConsent::id)
          .reversed();

  private static List<ModelConsent> permitting(List<ModelConsent> consents, ModelItem item, ModelRequest request) {
    return consents.stream().filter(c -> rule(c.root(), item, request) == Ruling.PERMIT).toList();
  }

  private static boolean denies(List<ModelConsent> consents, ModelItem item, ModelRequest request) {
    return consents.stream().anyMatch(c -> rule(c.root(), item, request) == Ruling.DENY);
  }

  enum Ruling { PERMIT, DENY, SILENT }

  /** What one provision (with its exceptions) says about one item. */
  static Ruling rule(Provision provision, ModelItem item, ModelRequest request) {
    if (!applies(provision, item, request)) {
      return Ruling.SILENT;
    }
    Set<Ruling> exceptions = new java.util.HashSet<>();
    for (Provision nested : provision.nested()) {
      exceptions.add(rule(nested, item, request));
    }
    if (exceptions.contains(Ruling.DENY)) {
      return Ruling.DENY;
    }
    if (exceptions.contains(Ruling.PERMIT)) {
      return Ruling.PERMIT;
    }
    return provision.type() == Provision.Type.PERMIT ? Ruling.PERMIT : Ruling.DENY;
  }

  /**
   * Every criterion of the provision matches. Actions: a permit must grant "disclose"; a deny of
   * disclose, access or use stops disclosure. An item without a data time never falls inside a
   * permit's data period but always inside a deny's (unknown never widens what goes).
   */
  static boolean applies(Provision p, ModelItem item, ModelRequest request) {
    boolean permit = p.type() == Provision.Type.PERMIT;
    Set<String> actionsThatCount = permit ? Set.of("disclose") : Set.of("disclose", "access", "use");
    return p.period().map(period -> period.covers(request.at())).orElse(true)
        && anyOrEmpty(p.actors(), request.recipient().designations())
        && anyOrEmpty(p.actions(), actionsThatCount)
        && anyOrEmpty(p.purposes(), Set.of(request.purpose()))
        && anyOrEmpty(p.classes(), Set.of(item.type()))
        && anyOrEmpty(p.labels(), item.labels())
        && (p.codes().isEmpty() || p.codes().stream().anyMatch(code -> item.codes().stream().anyMatch(c -> Icd10.covers(code, c))))
        && p.dataPeriod().map(period -> item.time().map(period::covers).orElse(!permit)).orElse(true);
  }

  /** The classes, labels and codes named by deny provisions of this consent that keep the item back. */
  private static Set<String> deniedClasses(Provision provision, ModelItem item, ModelRequest request) {
    Set<String> classes = new LinkedHashSet<>();
    if (!applies(provision, item, request)) {
      return classes;
    }
    List<Provision> denyingExceptions = provision.nested().stream()
        .filter(nested -> rule(nested, item, request) == Ruling.DENY).toList();
    if (!denyingExceptions.isEmpty()) {
      // the first denying exception decides, as the gateway names it
      return deniedClasses(denyingExceptions.get(0), item, request);
    }
    boolean overruled = provision.nested().stream().anyMatch(nested -> rule(nested, item, request) == Ruling.PERMIT);
    if (provision.type() == Provision.Type.DENY && !overruled) {
      provision.classes().stream().filter(item.type()::equals).forEach(c -> classes.add("class:" + c));
      provision.labels().stream().filter(item.labels()::contains).forEach(l -> classes.add("label:" + l));
      for (String code : provision.codes()) {
        if (item.codes().stream().anyMatch(c -> Icd10.covers(code, c))) {
          classes.add("code:" + code);
        }
      }
    }
    return classes;
  }

  private static boolean anyOrEmpty(Set<String> criterion, Set<String> values) {
    return criterion.isEmpty() || criterion.stream().anyMatch(values::contains);
  }
}
