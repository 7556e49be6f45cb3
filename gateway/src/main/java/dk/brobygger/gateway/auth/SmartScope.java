package dk.brobygger.gateway.auth;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One SMART system scope, e.g. {@code system/Consent.rs}: a FHIR resource type (or {@code *}) and
 * the interactions it permits. Backend services act for themselves, so only the {@code system/}
 * context exists here; {@code patient/}, {@code user/}, {@code openid} and the like are not scopes
 * this gateway knows.
 */
public record SmartScope(String resourceType, Set<Interaction> interactions) {

  public static final String ANY_RESOURCE = "*";

  private static final Pattern SHAPE = Pattern.compile("system/([A-Z][A-Za-z]{0,63}|\\*)\\.([a-z*]{1,5})");

  public SmartScope {
    Objects.requireNonNull(resourceType, "resourceType");
    if (interactions.isEmpty()) {
      throw new IllegalArgumentException("a scope permits at least one interaction");
    }
    interactions = Collections.unmodifiableSet(EnumSet.copyOf(interactions));
  }

  /**
   * Reads a v2 scope ({@code system/Task.rs}, letters in c-r-u-d-s order, each at most once) or a
   * v1 one ({@code .read}, {@code .write}, {@code .*}), which is read as its v2 equivalent.
   */
  public static Optional<SmartScope> parse(String text) {
    Matcher m = SHAPE.matcher(text);
    Optional<Set<Interaction>> letters = m.matches() ? letters(m.group(2)) : Optional.empty();
    // "read" fits the v2 shape but not its letters: try it as v1 before giving up
    return letters.isPresent() ? Optional.of(new SmartScope(m.group(1), letters.get())) : v1(text);
  }

  private static Optional<SmartScope> v1(String text) {
    int slash = text.indexOf('/');
    int dot = text.lastIndexOf('.');
    if (!text.startsWith("system/") || dot <= slash) {
      return Optional.empty();
    }
    String resource = text.substring(slash + 1, dot);
    if (!resource.equals(ANY_RESOURCE) && !resource.matches("[A-Z][A-Za-z]{0,63}")) {
      return Optional.empty();
    }
    return switch (text.substring(dot + 1)) {
      case "read" -> Optional.of(new SmartScope(resource, EnumSet.of(Interaction.READ, Interaction.SEARCH)));
      case "write" -> Optional.of(new SmartScope(resource,
          EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE)));
      case "*" -> Optional.of(new SmartScope(resource, EnumSet.allOf(Interaction.class)));
      default -> Optional.empty();
    };
  }

  /** v2 letters must appear in c-r-u-d-s order without repeats; anything else is not a scope. */
  private static Optional<Set<Interaction>> letters(String text) {
    EnumSet<Interaction> set = EnumSet.noneOf(Interaction.class);
    int previous = -1;
    for (char letter : text.toCharArray()) {
      Optional<Interaction> interaction = Interaction.ofLetter(letter);
      if (interaction.isEmpty() || interaction.get().ordinal() <= previous) {
        return Optional.empty();
      }
      previous = interaction.get().ordinal();
      set.add(interaction.get());
    }
    return Optional.of(set);
  }

  /** Whether everything {@code other} permits is permitted by this scope. */
  public boolean covers(SmartScope other) {
    return appliesTo(other.resourceType) && interactions.containsAll(other.interactions);
  }

  /** Whether this scope lets a client do {@code interaction} on {@code type}. */
  public boolean permits(String type, Interaction interaction) {
    return appliesTo(type) && interactions.contains(interaction);
  }

  /** What both scopes permit, when that is anything; a wildcard narrows to the other's resource type. */
  public Optional<SmartScope> intersect(SmartScope other) {
    String type;
    if (resourceType.equals(other.resourceType) || other.resourceType.equals(ANY_RESOURCE)) {
      type = resourceType;
    } else if (resourceType.equals(ANY_RESOURCE)) {
      type = other.resourceType;
    } else {
      return Optional.empty();
    }
    EnumSet<Interaction> common = EnumSet.copyOf(interactions);
    common.retainAll(other.interactions);
    return common.isEmpty() ? Optional.empty() : Optional.of(new SmartScope(type, common));
  }

  private boolean appliesTo(String type) {
    return resourceType.equals(ANY_RESOURCE) || resourceType.equals(type);
  }

  /** The space-separated spelling used in the {@code scope} claim and the token response. */
  public static String spell(Collection<SmartScope> scopes) {
    return scopes.stream().map(SmartScope::toString).collect(Collectors.joining(" "));
  }

  /** The v2 spelling, e.g. {@code system/Consent.cruds}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("system/").append(resourceType).append('.');
    interactions.forEach(interaction -> text.append(interaction.letter()));
    return text.toString();
  }
}
