package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Rejected;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Which FHIR encoding a request is in, and which one its answer should be in. */
public final class FhirFormats {

  private static final String USE = "use application/fhir+json or application/fhir+xml";

  private FhirFormats() {}

  /**
   * The format of a request body, from its Content-Type header. Parameters are allowed, but a
   * charset other than UTF-8 is refused: FHIR bodies are UTF-8 and we decode them as such.
   */
  public static FhirFormat ofContentType(String contentTypeHeader) {
    if (contentTypeHeader == null || contentTypeHeader.isBlank()) {
      throw new Rejected(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type is missing; " + USE);
    }
    String[] parts = contentTypeHeader.split(";");
    Optional<FhirFormat> format = ofMediaType(parts[0]);
    if (format.isEmpty()) {
      throw new Rejected(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type " + shorten(parts[0].trim()) + " is not supported; " + USE);
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
      if (parameter.startsWith("charset=")) {
        String charset = unquote(parameter.substring("charset=".length()));
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new Rejected(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE,
              "Content-Type charset " + shorten(charset) + " is not supported; FHIR bodies are UTF-8");
        }
      }
    }
    return format.get();
  }

  /**
   * The format of a response: FHIR's {@code _format} parameter wins over the Accept header; Accept
   * ranges are tried by descending q-value (ties in the order given) and a wildcard range that is
   * reached first answers in {@code fallback}. No parameter and no Accept header means fallback.
   */
  public static FhirFormat negotiate(Optional<String> formatParam, Optional<String> acceptHeader, FhirFormat fallback) {
    Optional<String> format = formatParam.map(String::trim).filter(s -> !s.isEmpty());
    if (format.isPresent()) {
      return ofFormatParameter(format.get())
          .orElseThrow(() -> new Rejected(Rejected.Kind.NOT_ACCEPTABLE,
              "_format " + shorten(format.get()) + " is not supported; use json or xml"));
    }
    Optional<String> accept = acceptHeader.map(String::trim).filter(s -> !s.isEmpty());
    if (accept.isEmpty()) {
      return fallback;
    }
    for (MediaRange range : byPreference(accept.get())) {
      Optional<FhirFormat> chosen = range.answer(fallback);
      if (chosen.isPresent()) {
        return chosen.get();
      }
    }
    throw new Rejected(Rejected.Kind.NOT_ACCEPTABLE,
        "Accept " + shorten(accept.get()) + " cannot be answered; " + USE);
  }

  private static Optional<FhirFormat> ofFormatParameter(String value) {
    // A '+' in an unencoded query string arrives as a space: "application/fhir json".
    String normalised = value.split(";")[0].trim().replace(' ', '+').toLowerCase(Locale.ROOT);
    return switch (normalised) {
      case "json" -> Optional.of(FhirFormat.JSON);
      case "xml" -> Optional.of(FhirFormat.XML);
      default -> ofMediaType(normalised);
    };
  }

  private static Optional<FhirFormat> ofMediaType(String mediaType) {
    return switch (mediaType.trim().toLowerCase(Locale.ROOT)) {
      case "application/fhir+json", "application/json" -> Optional.of(FhirFormat.JSON);
      case "application/fhir+xml", "application/xml", "text/xml" -> Optional.of(FhirFormat.XML);
      default -> Optional.empty();
    };
  }

  private static List<MediaRange> byPreference(String accept) {
    List<MediaRange> ranges = new ArrayList<>();
    for (String element : accept.split(",")) {
      MediaRange.parse(element).filter(r -> r.quality() > 0).ifPresent(ranges::add);
    }
    // List.sort is stable: equal q-values keep the client's order.
    ranges.sort(Comparator.comparingDouble(MediaRange::quality).reversed());
    return ranges;
  }

  /** One element of an Accept header, e.g. {@code application/fhir+xml;q=0.8}. */
  private record MediaRange(String type, double quality) {

    /** Empty for a blank element or an unreadable q-value: such a range is ignored. */
    static Optional<MediaRange> parse(String element) {
      String[] parts = element.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        return Optional.empty();
      }
      double quality = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
        if (parameter.startsWith("q=")) {
          try {
            quality = Double.parseDouble(parameter.substring(2).trim());
          } catch (NumberFormatException unreadable) {
            return Optional.empty();
          }
        }
      }
      return Optional.of(new MediaRange(type, quality));
    }

    Optional<FhirFormat> answer(FhirFormat fallback) {
      return switch (type) {
        case "*/*", "application/*" -> Optional.of(fallback);
        case "text/*" -> Optional.of(FhirFormat.XML);
        default -> ofMediaType(type);
      };
    }
  }

  private static String unquote(String value) {
    String trimmed = value.trim();
    if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
      return trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed;
  }

  /** Header values are the caller's input: quote them, and not at any length. */
  private static String shorten(String value) {
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "'" + cut + "'";
  }
}
