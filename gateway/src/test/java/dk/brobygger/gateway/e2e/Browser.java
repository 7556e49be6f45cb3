package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class ({@link Chromium}), with what every console test needs:
 * screenshots of each step under target/console-screenshots, and an axe-core accessibility check
 * in the page (no serious or critical violation).
 */
public final class Browser implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  /** axe-core from its WebJar (test scope), injected into the page under test by the test only. */
  private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

  private final ChromeDriver driver;
  private final Path screenshots;

  Browser(ChromeDriver driver, Path screenshots) {
    this.driver = driver;
    this.screenshots = screenshots;
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** The element, waiting (up to 20 s) for it: after a click the next page may still be loading. */
  public WebElement find(By by) {
    return await("an element " + by, d -> d.findElement(by));
  }

  public List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  /** Waits (up to 20 s) until the condition holds, e.g. a status turned delivered. */
  public <T> T await(String what, Function<WebDriver, T> condition) {
    // a page that htmx or a navigation replaces under the condition is looked at again, not a failure
    return new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(what)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
  }

  /**
   * Waits (up to 20 s) until the page shows every one of the texts: after a click the next page may
   * still be loading, and the old page's body goes stale under a look at it. Fails naming what the
   * page never showed.
   */
  public String awaitText(String... texts) {
    try {
      return await("the page to show " + String.join(", ", texts), d -> {
        String body;
        try {
          body = d.findElement(By.tagName("body")).getText();
        } catch (org.openqa.selenium.WebDriverException replacedWhileRead) {
          return null; // a navigation replaced the document under the read: look at the new one
        }
        return java.util.Arrays.stream(texts).allMatch(body::contains) ? body : null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page never showed " + List.of(texts) + "; it shows:\n" + pageText(), e);
    }
  }

  public String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** Saves the page as target/console-screenshots/{name}.png (linked from the README's tour). */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(screenshots);
      Path file = screenshots.resolve(name + ".png");
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails if the page is wider than the window (768 px), so that the reader would have to scroll sideways. */
  public void assertNoSidewaysScroll(String step) {
    // the innermost elements that reach past the right edge name the culprit when it fails
    List<?> measured = (List<?>) driver.executeScript(
        "const e = document.scrollingElement, w = e.clientWidth;"
            + "const over = (n) => n.getBoundingClientRect().right > w + 0.5;"
            + "const wide = Array.from(document.querySelectorAll('body *'))"
            + ".filter((n) => over(n) && !Array.from(n.children).some(over)).slice(0, 5)"
            + ".map((n) => n.tagName.toLowerCase() + (n.className ? '.' + n.className : '') + ' \"'"
            + " + (n.textContent || '').trim().slice(0, 60) + '\"');"
            + "return [e.scrollWidth, w, wide.join('; ')];");
    assertThat(((Number) measured.get(0)).longValue())
        .as("the page's width on " + step + " (window " + measured.get(1) + " px; too wide: " + measured.get(2) + ")")
        .isLessThanOrEqualTo(((Number) measured.get(1)).longValue());
  }

  /**
   * Fails if the browser reported a Content Security Policy violation (an inline style or script,
   * a file from elsewhere) since the last look: Chromium logs each one to the page's console.
   */
  public void assertNoCspViolations(String step) {
    List<String> violations = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
        .map(org.openqa.selenium.logging.LogEntry::getMessage)
        .filter(message -> message.contains("Content Security Policy"))
        .toList();
    assertThat(violations).as("Content Security Policy violations on " + step).isEmpty();
  }

  /**
   * Runs axe-core in the page and fails on any serious or critical violation, naming them; and on
   * any Content Security Policy violation since the last check.
   */
  @SuppressWarnings("unchecked")
  public void assertAccessible(String step) {
    assertNoCspViolations(step);
    driver.executeScript(axeSource());
    Object result = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']})"
            + ".then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
            + ".map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
            + ".catch(e => done(['axe failed: ' + e]));");
    assertThat((List<String>) result).as("serious or critical accessibility violations on " + step).isEmpty();
  }

  private static String axeSource() {
    try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(AXE)) {
      if (in == null) {
        throw new IllegalStateException(AXE + " is not on the test class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  @Override
  public void close() {
    driver.quit();
  }
}
