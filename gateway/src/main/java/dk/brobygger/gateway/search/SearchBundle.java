package dk.brobygger.gateway.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * One page of a search as a FHIR searchset: the matches, {@code Bundle.total} when counted, and the
 * links {@code self}, {@code next} and {@code previous} on every search, each carrying the
 * accepted parameters (never the ignored ones), {@code _count} and {@code _offset}. Parameters that
 * lenient handling ignored are named in an OperationOutcome entry (search mode {@code outcome}).
 */
public final class SearchBundle {

  /** One match: its fullUrl and the resource. */
  public record Match(String fullUrl, Resource resource) {}

  private SearchBundle() {}

  /**
   * How many rows to read for one page: one more than the page holds, so that the extra row tells
   * whether there is a next page without counting; none for a count-only search.
   */
  public static int rowsToRead(SearchRequest request) {
    return request.summaryCount() || request.count() == 0 ? 0 : request.count() + 1;
  }

  /**
   * @param rows up to {@link #rowsToRead} matches from {@code request.offset()}
   * @param total the number of matches, when {@code request.total()}
   */
  public static Bundle page(SearchRequest request, String fhirBase, Optional<Long> total, List<Match> rows) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    total.ifPresent(n -> bundle.setTotal((int) Math.min(n, Integer.MAX_VALUE)));
    int count = request.count();
    long offset = request.offset();
    bundle.addLink().setRelation("self").setUrl(link(request, fhirBase, offset, count));
    boolean more = rows.size() > count || (total.isPresent() && count > 0 && offset + count < total.get());
    if (!request.summaryCount() && count > 0 && more) {
      bundle.addLink().setRelation("next").setUrl(link(request, fhirBase, offset + count, count));
    }
    if (!request.summaryCount() && count > 0 && offset > 0) {
      bundle.addLink().setRelation("previous").setUrl(link(request, fhirBase, Math.max(0, offset - count), count));
    }
    for (Match match : rows.subList(0, Math.min(rows.size(), count))) {
      bundle.addEntry().setFullUrl(match.fullUrl()).setResource(match.resource())
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    if (!request.ignored().isEmpty()) {
      OperationOutcome ignored = new OperationOutcome();
      ignored.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
          .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
          .setDiagnostics("ignored (Prefer: handling=lenient): " + String.join(", ", request.ignored()));
      bundle.addEntry().setResource(ignored).getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
    }
    return bundle;
  }

  /** A page of matches that are all in memory (a few recipients, the published profiles). */
  public static Bundle page(SearchRequest request, String fhirBase, List<Match> all) {
    int from = (int) Math.min(request.offset(), all.size());
    int to = Math.min(all.size(), from + rowsToRead(request));
    return page(request, fhirBase, request.total() ? Optional.of((long) all.size()) : Optional.empty(),
        all.subList(from, to));
  }

  private static String link(SearchRequest request, String fhirBase, long offset, int count) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> parameter : request.accepted().entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).toList()) {
      String name = parameter.getKey();
      if (name.equals("_offset") || name.equals("_count")) {
        continue;
      }
      for (String value : parameter.getValue()) {
        parts.add(encode(name).replace("%3A", ":") + "=" + encode(value));
      }
    }
    parts.add("_count=" + count);
    parts.add("_offset=" + offset);
    return fhirBase + "/" + request.resourceType() + "?" + String.join("&", parts);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
