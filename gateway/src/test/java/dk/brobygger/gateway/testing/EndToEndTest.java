package dk.brobygger.gateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test against a real gateway, started in the test's JVM or as a process, or in a real browser (e2e
 * tier); its Awaitility waits poll promptly ({@link PromptPolling}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Tiers.END_TO_END)
@ExtendWith(PromptPolling.class)
public @interface EndToEndTest {}
