package dk.brobygger.gateway.testing;

import dk.brobygger.gateway.storage.PostgresStorage;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test on PostgreSQL (integration tier): its methods get a fresh schema as a
 * {@code StorageSettings} parameter from {@link PostgresStorage}, and the class is skipped (or fails
 * in CI) when there is no server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(Tiers.INTEGRATION)
@ExtendWith(PostgresStorage.class)
public @interface StorageTest {}
