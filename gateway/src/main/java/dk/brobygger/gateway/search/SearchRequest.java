package dk.brobygger.gateway.search;

import dk.brobygger.fhir.Rejected;
import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * One search as the caller asked for it, checked against the parameters the resource type
 * supports: the filters, the page ({@code _count}, {@code _offset}), whether to count the matches
 * ({@code _total}, {@code _summary=count}), and what was ignored under lenient handling. Every
 * search of the API reads its parameters through this class, so all of them take the same result
 * parameters and refuse or ignore an unknown one the same way.
 */
public final class SearchRequest {

  /** Entries per page when the caller does not say. */
  public static final int DEFAULT_COUNT = 50;
  /** The most entries of one page; a larger {@code _count} is lowered to it. */
  public static final int MAX_COUNT = 500;

  /** The result parameters every search takes, as the CapabilityStatement declares them. */
  public static final List<SearchParam> RESULT_PARAMETERS = List.of(
      SearchParam.of("_count", SearchParamType.NUMBER, "http://hl7.org/fhir/SearchParameter/Resource-count",
          "entries per page: default " + DEFAULT_COUNT + ", at most " + MAX_COUNT + " (a larger value is lowered to it); "
              + "0 gives only the total"),
      SearchParam.of("_offset", SearchParamType.NUMBER, "https://brobygger.dk/fhir/SearchParameter/offset",
          "how many matches to skip; the next and previous links carry it"),
      SearchParam.of("_total", SearchParamType.TOKEN, "http://hl7.org/fhir/SearchParameter/Resource-total",
          "none (no Bundle.total), estimate or accurate (both counted exactly); default accurate (Task: default none, "
              + "estimate as none, counted only for accurate)"),
      SearchParam.of("_summary", SearchParamType.TOKEN, "http://hl7.org/fhir/SearchParameter/Resource-summary",
          "count: only Bundle.total, no entries; false: the full resources (the default)"));

  private static final String FORMAT = "_format";

  private final String resourceType;
  private final String what;
  private final Map<String, List<String>> accepted;
  private final List<String> ignored;
  private final int count;
  private final long offset;
  private final boolean total;
  private final boolean summaryCount;

  private SearchRequest(String resourceType, String what, Map<String, List<String>> accepted, List<String> ignored,
      int count, long offset, boolean total, boolean summaryCount) {
    this.resourceType = resourceType;
    this.what = what;
    this.accepted = accepted;
    this.ignored = List.copyOf(ignored);
    this.count = count;
    this.offset = offset;
    this.total = total;
    this.summaryCount = summaryCount;
  }

  /** The search in a request's query string. */
  public static SearchRequest of(String resourceType, MultiMap query, Handling handling, List<SearchParam> supported) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String name : query.names()) {
      parameters.put(name, query.getAll(name));
    }
    return of(resourceType, parameters, handling, supported);
  }

  /** The search in a query string such as {@code identifier=x|y} (conditional create's If-None-Exist). */
  public static SearchRequest of(String resourceType, String queryString, Handling handling, List<SearchParam> supported) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    String query = queryString.startsWith(resourceType + "?") ? queryString.substring(resourceType.length() + 1) : queryString;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return of(resourceType, parameters, handling, supported);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Rejected(Rejected.Kind.MALFORMED, "search rejected: '" + text + "' is not URL-encoded text");
    }
  }

  static SearchRequest of(String resourceType, Map<String, List<String>> parameters, Handling handling,
      List<SearchParam> supported) {
    String what = resourceType + " search";
    Map<String, List<String>> accepted = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      Optional<String> unsupported = unsupported(name, supported);
      if (unsupported.isEmpty() || name.equals(FORMAT)) {
        accepted.put(name, List.copyOf(parameter.getValue()));
      } else if (handling == Handling.LENIENT) {
        ignored.add(name);
      } else {
        throw new Rejected(Rejected.Kind.MALFORMED, what + " rejected: " + unsupported.get() + " (supported: "
            + String.join(", ", names(supported)) + "; send Prefer: handling=lenient to have unknown parameters ignored)");
      }
    }
    int count = (int) Math.min(wholeNumber(accepted, "_count", what).orElse((long) DEFAULT_COUNT), MAX_COUNT);
    long offset = wholeNumber(accepted, "_offset", what).orElse(0L);
    boolean total = switch (single(accepted, "_total", what).orElse("accurate")) {
      case "accurate", "estimate" -> true;
      case "none" -> false;
      default -> throw new Rejected(Rejected.Kind.INVALID, what + " rejected: _total must be none, estimate or accurate");
    };
    boolean summaryCount = switch (single(accepted, "_summary", what).orElse("false")) {
      case "count" -> true;
      case "false" -> false;
      default -> throw new Rejected(Rejected.Kind.INVALID,
          what + " rejected: _summary must be count or false (true, text and data are not supported)");
    };
    return new SearchRequest(resourceType, what, accepted, ignored, count, offset, total || summaryCount, summaryCount);
  }

  /**
   * The query parameters of an endpoint that is not a FHIR search (the audit log's checkpoint,
   * proofs, export, report): only the named parameters are taken, none of the result parameters and
   * no handling preference; an unknown one is refused (422, as these endpoints always answered it,
   * where a FHIR search answers 400). Read them with {@link #single}, {@link #wholeNumber} and
   * {@link #required}.
   *
   * @param what how refusals name the request, e.g. "Export"
   */
  public static SearchRequest ofEndpoint(String what, MultiMap query, Set<String> names) {
    Map<String, List<String>> accepted = new LinkedHashMap<>();
    for (String name : query.names()) {
      if (!names.contains(name)) {
        throw new Rejected(Rejected.Kind.INVALID, what + " rejected: parameter '" + name + "' is not supported"
            + " (supported: " + String.join(", ", names.stream().sorted().toList()) + ")");
      }
      accepted.put(name, List.copyOf(query.getAll(name)));
    }
    return new SearchRequest("", what, accepted, List.of(), 0, 0, false, false);
  }

  /** Why the parameter is not supported, or empty when it is. */
  private static Optional<String> unsupported(String name, List<SearchParam> supported) {
    if (name.equals(FORMAT) || RESULT_PARAMETERS.stream().anyMatch(p -> p.name().equals(name))) {
      return Optional.empty();
    }
    int colon = name.indexOf(':');
    int dot = name.indexOf('.');
    int end = colon >= 0 ? colon : dot >= 0 ? dot : name.length();
    String base = name.substring(0, end);
    Optional<SearchParam> param = supported.stream().filter(p -> p.name().equals(base)).findFirst();
    if (param.isEmpty()) {
      return Optional.of("parameter '" + name + "' is not supported");
    }
    if (colon >= 0 && !param.get().modifiers().contains(name.substring(colon + 1))) {
      return Optional.of("modifier '" + name + "' is not supported"
          + (param.get().modifiers().isEmpty() ? "" : " (only :" + String.join(", :", param.get().modifiers()) + ")"));
    }
    if (colon < 0 && dot >= 0 && !param.get().chains().contains(name.substring(dot + 1))) {
      return Optional.of("chain '" + name + "' is not supported"
          + (param.get().chains().isEmpty() ? "" : " (only ." + String.join(", .", param.get().chains()) + ")"));
    }
    return Optional.empty();
  }

  private static List<String> names(List<SearchParam> supported) {
    List<String> names = new ArrayList<>();
    for (SearchParam p : supported) {
      names.add(p.name());
      p.modifiers().forEach(m -> names.add(p.name() + ":" + m));
      p.chains().forEach(c -> names.add(p.name() + "." + c));
    }
    RESULT_PARAMETERS.forEach(p -> names.add(p.name()));
    return names;
  }

  /** The resource type searched; empty for an endpoint ({@link #ofEndpoint}). */
  public String resourceType() {
    return resourceType;
  }

  /** How refusals name this search, e.g. "Consent search". */
  public String what() {
    return what;
  }

  /** Whether the parameter (as written, with its modifier or chain) was given. */
  public boolean has(String name) {
    return accepted.containsKey(name);
  }

  /** Every value of the parameter, in the order given (a repeated parameter means AND). */
  public List<String> values(String name) {
    return accepted.getOrDefault(name, List.of());
  }

  /** The one value of a parameter that may be given once; blank counts as absent. */
  public Optional<String> single(String name) {
    return single(accepted, name, what());
  }

  /** The one value of a parameter that must be given once. */
  public String required(String name) {
    return single(name).orElseThrow(() -> missing(name));
  }

  /** The value of a parameter that may be given once, a whole number of at least 0. */
  public Optional<Long> wholeNumber(String name) {
    return wholeNumber(accepted, name, what());
  }

  /** {@link #wholeNumber} of a parameter that must be given. */
  public long requiredWholeNumber(String name) {
    return wholeNumber(name).orElseThrow(() -> missing(name));
  }

  private Rejected missing(String name) {
    return new Rejected(Rejected.Kind.INVALID, what() + " rejected: parameter '" + name + "' is required");
  }

  /**
   * The comma-separated alternatives of a parameter that may be given once (FHIR's OR), e.g.
   * {@code status=failed,cancelled}.
   */
  public List<String> anyOf(String name) {
    return single(name).map(value -> {
      List<String> alternatives = new ArrayList<>();
      for (String alternative : value.split(",")) {
        if (alternative.isBlank()) {
          throw new Rejected(Rejected.Kind.INVALID, what() + " rejected: " + name + " has an empty value");
        }
        alternatives.add(alternative.trim());
      }
      return alternatives;
    }).orElse(List.of());
  }

  /** The parameters that were ignored under lenient handling. */
  public List<String> ignored() {
    return ignored;
  }

  /** Entries per page (0 = only the total). */
  public int count() {
    return count;
  }

  public long offset() {
    return offset;
  }

  /** Whether Bundle.total is to be counted. */
  public boolean total() {
    return total;
  }

  /** {@code _summary=count}: the total only, no entries. */
  public boolean summaryCount() {
    return summaryCount;
  }

  /** The accepted parameters, for the self link (ignored ones are not among them). */
  Map<String, List<String>> accepted() {
    return accepted;
  }

  private static Optional<String> single(Map<String, List<String>> parameters, String name, String what) {
    List<String> values = parameters.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: parameter '" + name + "' is given more than once");
    }
    return values.stream().findFirst().filter(value -> !value.isBlank());
  }

  private static Optional<Long> wholeNumber(Map<String, List<String>> parameters, String name, String what) {
    return single(parameters, name, what).map(text -> {
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
}
