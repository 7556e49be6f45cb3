package dk.brobygger.gateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a screen for the console: keeps cookies, does not follow redirects, and reads
 * the CSRF token out of the last page, as a form would carry it.
 */
final class ConsoleClient {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;
  private String csrf = "";

  ConsoleClient(String baseUrl) {
    this.base = baseUrl;
    this.http = HttpClient.newBuilder().sslContext(SampleClients.tls(null)).cookieHandler(cookies)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  HttpResponse<String> get(String path) {
    return remember(send(HttpRequest.newBuilder(URI.create(base + path)).GET()));
  }

  /** A form post with the CSRF token of the last page read. */
  HttpResponse<String> post(String path, Map<String, String> fields) {
    Map<String, String> all = new LinkedHashMap<>(fields);
    all.put("csrf", csrf);
    return postExactly(path, all);
  }

  /** A form post with exactly these fields (no CSRF token unless given). */
  HttpResponse<String> postExactly(String path, Map<String, String> fields) {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return remember(send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))));
  }

  /** Signs in as one of the INSECURE sample people (demo/development). */
  void signInAsSample(String subject) {
    get("/console/log-ind");
    HttpResponse<String> answer = post("/console/log-ind/proeveperson", Map.of("subject", subject));
    if (answer.statusCode() != 303 || !"/console".equals(answer.headers().firstValue("Location").orElse(""))) {
      throw new AssertionError("sign-in as " + subject + " failed: " + answer.statusCode() + " " + answer.body());
    }
    get("/console");
  }

  String csrf() {
    return csrf;
  }

  CookieManager cookies() {
    return cookies;
  }

  private HttpResponse<String> remember(HttpResponse<String> response) {
    Matcher m = CSRF.matcher(response.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return response;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
