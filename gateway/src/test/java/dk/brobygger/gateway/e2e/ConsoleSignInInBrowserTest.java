package dk.brobygger.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.testing.EndToEndTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** Signing in to the console in a real Chromium, at tablet width, with the accessibility check. */
@EndToEndTest
@ExtendWith(Chromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSignInInBrowserTest {

  @TempDir static Path temp;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    gateway = TestGateway.start(temp.resolve("data"), Map.of());
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void theNurseSignsInCannotOpenTheOfficersPagesNorChangeAnythingWithoutTheCsrfTokenAndSignsOut(Browser browser) {
    String base = gateway.gateway().baseUrl();
    browser.open(base + "/console");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/console/log-ind");
    browser.awaitText("USIKKER");
    browser.assertAccessible("the sign-in page");
    browser.screenshot("00-log-ind");

    browser.find(By.xpath("//button[contains(., 'Sanne Sørensen')]")).click();
    browser.await("the start page", d -> d.getCurrentUrl().endsWith("/console"));
    browser.awaitText("Goddag, Sanne Sørensen (prøveperson)", "Gadesygeplejerske");
    browser.assertAccessible("the nurse's start page");
    browser.screenshot("01-forside-sygeplejerske");

    browser.open(base + "/console/tilsyn");
    browser.awaitText("Ingen adgang");
    browser.screenshot("02-ingen-adgang");

    // a state change without the CSRF token (the form's hidden field removed) is refused by the server
    browser.open(base + "/console");
    browser.driver().findElements(By.name("csrf")).forEach(field ->
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript("arguments[0].remove()", field));
    browser.find(By.xpath("//button[normalize-space()='Log ud']")).click();
    browser.await("the refusal", d -> d.findElement(By.tagName("h1")).getText().equals("Handlingen blev afvist"));
    browser.screenshot("03-uden-csrf-afvist");

    browser.open(base + "/console");
    browser.find(By.xpath("//button[normalize-space()='Log ud']")).click();
    browser.await("the sign-in page", d -> d.getCurrentUrl().endsWith("/console/log-ind"));
    browser.open(base + "/console");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/console/log-ind");
  }
}
