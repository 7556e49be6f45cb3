package dk.brobygger.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RecipientStubTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aCopyDeliveredTwiceShowsAsMoreDeliveriesThanKeys() throws Exception {
    try (RecipientStub stub = RecipientStub.start()) {
      assertThat(post(stub, "message-1")).isEqualTo(200);
      assertThat(post(stub, "message-1")).isEqualTo(200);
      assertThat(post(stub, "message-2")).isEqualTo(200);
      assertThat(post(stub, null)).isEqualTo(200);

      assertThat(stub.deliveries()).isEqualTo(4);
      assertThat(stub.distinctKeys()).isEqualTo(2);
      assertThat(stub.deliveriesWithoutKey()).isEqualTo(1);
      assertThat(stub.arrivalOf("message-1")).isNotNull();
      assertThat(stub.arrivalOf("message-3")).isNull();
    }
  }

  private int post(RecipientStub stub, String idempotencyKey) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stub.endpoint("laegehuset-sydfyn")))
        .POST(HttpRequest.BodyPublishers.ofString("sealed"));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
