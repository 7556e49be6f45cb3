package dk.brobygger.gateway.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One provision of a consent, the model's way: a type, criteria (empty = any) and exceptions.
 * Actors are "kind:gp", "sor:{code}" or "org:{directory id}"; labels are v3 ActCode codes, classes
 * resource types, codes ICD-10 codes; purposes v3 ActReason codes; actions consentaction codes.
 */
public record Provision(
    Type type,
    Optional<Window> period,
    Set<String> actors,
    Set<String> actions,
    Set<String> purposes,
    Set<String> classes,
    Set<String> labels,
    Set<String> codes,
    Optional<Window> dataPeriod,
    List<Provision> nested) {

  /** UNTYPED is a provision with no type: a consent that cannot be read. */
  public enum Type { PERMIT, DENY, UNTYPED }

  public Provision {
    actors = Set.copyOf(actors);
    actions = Set.copyOf(actions);
    purposes = Set.copyOf(purposes);
    classes = Set.copyOf(classes);
    labels = Set.copyOf(labels);
    codes = Set.copyOf(codes);
    nested = List.copyOf(nested);
  }

  public static Provision permit(Set<String> actors, Set<String> purposes) {
    return new Provision(Type.PERMIT, Optional.empty(), actors, Set.of(), purposes, Set.of(), Set.of(), Set.of(),
        Optional.empty(), List.of());
  }

  public static Provision denyLabels(Set<String> labels) {
    return new Provision(Type.DENY, Optional.empty(), Set.of(), Set.of(), Set.of(), Set.of(), labels, Set.of(),
        Optional.empty(), List.of());
  }

  public Provision withPeriod(Window window) {
    return new Provision(type, Optional.of(window), actors, actions, purposes, classes, labels, codes, dataPeriod, nested);
  }

  public Provision withNested(List<Provision> exceptions) {
    return new Provision(type, period, actors, actions, purposes, classes, labels, codes, dataPeriod, exceptions);
  }

  /** Nothing at all: FHIR drops an empty element, so this is a consent without a provision. */
  public boolean isEmpty() {
    return type == Type.UNTYPED && period.isEmpty() && actors.isEmpty() && actions.isEmpty() && purposes.isEmpty()
        && classes.isEmpty() && labels.isEmpty() && codes.isEmpty() && dataPeriod.isEmpty() && nested.isEmpty();
  }

  public boolean readable() {
    return type != Type.UNTYPED && nested.stream().allMatch(Provision::readable);
  }
}
