package dk.brobygger.gateway.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Awaitility looks at a condition at once and then every 25 ms, as the tests' own waits did before
 * (its defaults, first look after 100 ms and then every 100 ms, slow a long run of waits and can step
 * over a state that holds only briefly).
 */
public final class PromptPolling implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultPollDelay(Duration.ZERO);
    Awaitility.setDefaultPollInterval(Duration.ofMillis(25));
  }
}
