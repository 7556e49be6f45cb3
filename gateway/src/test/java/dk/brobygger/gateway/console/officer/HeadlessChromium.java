package dk.brobygger.gateway.console.officer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromium-driver, headless. Where they are missing the test is skipped with
 * the reason, unless BROBYGGER_REQUIRE_CHROMIUM is set (CI), where it fails instead.
 */
public final class HeadlessChromium {

  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private HeadlessChromium() {}

  public static WebDriver start() {
    Optional<Path> browser = executable("chromium", "/usr/bin/chromium", "/usr/lib/chromium/chromium");
    Optional<Path> driver = executable("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    if (browser.isEmpty() || driver.isEmpty()) {
      String why = "Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)";
      if (System.getenv("BROBYGGER_REQUIRE_CHROMIUM") != null) {
        Assertions.fail(why + ", and BROBYGGER_REQUIRE_CHROMIUM is set");
      }
      Assumptions.abort(why + "; browser test skipped");
    }
    ChromeOptions options = new ChromeOptions().setBinary(browser.get().toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1024,1400", "--lang=da");
    // the gateway under test serves the INSECURE sample TLS certificate
    options.setAcceptInsecureCerts(true);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
        .usingAnyFreePort().build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return chrome;
  }

  public static Path screenshot(WebDriver driver, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Optional<Path> executable(String name, String... candidates) {
    Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name));
    return Stream.concat(onPath, List.of(candidates).stream().map(Path::of)).filter(Files::isExecutable).findFirst();
  }
}
