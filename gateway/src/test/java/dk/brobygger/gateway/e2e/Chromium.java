package dk.brobygger.gateway.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Browser tests in a real Chromium: Debian's {@code chromium} and {@code chromium-driver}. Where
 * they are missing the tests are skipped, saying so; with {@code BROBYGGER_REQUIRE_CHROMIUM=true}
 * (as in CI) their absence fails the tests instead. Test methods (or constructors) take a
 * {@link Browser} parameter: one headless Chromium per test class, 768 px wide (a tablet).
 */
public final class Chromium implements ExecutionCondition, ParameterResolver {

  static final String REQUIRE = "BROBYGGER_REQUIRE_CHROMIUM";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Chromium.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> missing = missing();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("Chromium and chromedriver found");
    }
    if (Boolean.parseBoolean(System.getenv(REQUIRE))) {
      // CI promised a browser: its absence is a failure, not a skip
      return ConditionEvaluationResult.enabled(missing.get() + "; " + REQUIRE + " is set, so the tests run and fail");
    }
    return ConditionEvaluationResult.disabled("browser tests skipped: " + missing.get()
        + " (apt-get install chromium chromium-driver; set " + REQUIRE + "=true to make this a failure)");
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Browser.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    missing().ifPresent(why -> {
      throw new AssertionError("no browser for the browser tests: " + why);
    });
    // one browser per test class, closed when the class is done
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    ExtensionContext.Store store = classContext.getStore(NAMESPACE);
    String key = context.getRequiredTestClass().getName();
    return store.getOrComputeIfAbsent(key, k -> new Browser(start(), Path.of("target", "console-screenshots")),
        Browser.class);
  }

  /** Why the browser cannot run here, if it cannot. */
  static Optional<String> missing() {
    if (binary().isEmpty()) {
      return Optional.of("no chromium binary (looked for /usr/bin/chromium and /usr/bin/chromium-browser)");
    }
    if (driver().isEmpty()) {
      return Optional.of("no chromedriver (looked for /usr/bin/chromedriver)");
    }
    return Optional.empty();
  }

  private static Optional<Path> binary() {
    return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable).findFirst();
  }

  private static Optional<Path> driver() {
    return Stream.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver").map(Path::of)
        .filter(Files::isExecutable).findFirst();
  }

  private static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary().orElseThrow().toFile());
    options.addArguments("--headless=new", "--window-size=768,1024", "--no-sandbox", "--disable-dev-shm-usage",
            "--disable-gpu", "--lang=da-DK");
    // the page's console messages, for the tests to find Content Security Policy violations
    org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        // the gateway's TLS certificate is the INSECURE sample CA's
    options.setAcceptInsecureCerts(true);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver().orElseThrow().toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
