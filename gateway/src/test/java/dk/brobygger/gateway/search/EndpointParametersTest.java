package dk.brobygger.gateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import io.vertx.core.MultiMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The query parameters of the audit log's endpoints, read by the one parser searches use. */
class EndpointParametersTest {

  private static SearchRequest export(String... pairs) {
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      query.add(pairs[i], pairs[i + 1]);
    }
    return SearchRequest.ofEndpoint("Export", query, Set.of("from", "to", "previous"));
  }

  private static void refused(Runnable read, String diagnostics) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(Rejected.class, rejected -> {
      assertThat(rejected.kind()).isEqualTo(Rejected.Kind.INVALID);
      assertThat(rejected.diagnostics()).isEqualTo(diagnostics);
    });
  }

  @Test
  void namedParametersAreReadAsWholeNumbersAndAbsentOrBlankOnesAreEmpty() {
    SearchRequest parameters = export("from", "3", "to", " ");

    assertThat(parameters.wholeNumber("from")).contains(3L);
    assertThat(parameters.wholeNumber("to")).isEmpty();
    assertThat(parameters.wholeNumber("previous")).isEmpty();
    assertThat(parameters.requiredWholeNumber("from")).isEqualTo(3L);
  }

  @Test
  void anUnknownResultParameterRepeatedMissingOrNegativeOneIsRefusedNamingIt() {
    refused(() -> export("_count", "5"), "Export rejected: parameter '_count' is not supported (supported: from, previous, to)");
    refused(() -> export("from", "1", "from", "2").wholeNumber("from"),
        "Export rejected: parameter 'from' is given more than once");
    refused(() -> export().requiredWholeNumber("from"), "Export rejected: parameter 'from' is required");
    refused(() -> export().required("to"), "Export rejected: parameter 'to' is required");
    refused(() -> export("to", "-1").wholeNumber("to"),
        "Export rejected: parameter 'to' must be a whole number of at least 0, got '-1'");
  }
}
