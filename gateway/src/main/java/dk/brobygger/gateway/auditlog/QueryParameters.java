package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.Rejected;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.Set;

/** Reading and checking query parameters; a bad one is the caller's fault ({@link Rejected}). */
final class QueryParameters {

  private QueryParameters() {}

  static void requireKnown(MultiMap query, Set<String> known, String what) {
    for (String name : query.names()) {
      if (!known.contains(name)) {
        throw new Rejected(Rejected.Kind.INVALID, what + " rejected: parameter '" + name
            + "' is not supported (supported: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  static Optional<String> single(MultiMap query, String name, String what) {
    if (query.getAll(name).size() > 1) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: parameter '" + name + "' is given more than once");
    }
    return Optional.ofNullable(query.get(name)).filter(value -> !value.isBlank());
  }

  static Optional<Long> wholeNumber(MultiMap query, String name, String what) {
    return single(query, name, what).map(text -> {
      try {
        long value = Long.parseLong(text.trim());
        if (value < 0) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new Rejected(Rejected.Kind.INVALID,
            what + " rejected: parameter '" + name + "' must be a whole number of at least 0, got '" + text + "'");
      }
    });
  }

  static long requiredWholeNumber(MultiMap query, String name, String what) {
    return wholeNumber(query, name, what).orElseThrow(() ->
        new Rejected(Rejected.Kind.INVALID, what + " rejected: parameter '" + name + "' is required"));
  }
}
