package dk.brobygger.gateway.config;

/** A configuration the gateway cannot start with; the message says which option and why. */
public final class ConfigurationError extends RuntimeException {

  public ConfigurationError(String message) {
    super(message);
  }

  public ConfigurationError(String message, Throwable cause) {
    super(message, cause);
  }
}
