package dk.brobygger.gateway.config;

import java.util.Locale;

/**
 * One configuration option. Every option can be set, in rising precedence, by its default, the
 * configuration file ({@code key=value}), the environment ({@link #environmentName()}) and the
 * command line ({@code --key value} or {@code --key=value}). A boolean option (one whose default is
 * {@code true} or {@code false}) also takes {@code --key} alone, meaning true.
 */
public record Option(String key, String defaultValue, String description) {

  /** e.g. {@code http.port} -> {@code BROBYGGER_HTTP_PORT}. */
  public String environmentName() {
    return "BROBYGGER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A boolean option: its default is true or false. */
  public boolean isFlag() {
    return defaultValue.equals("true") || defaultValue.equals("false");
  }

  public String commandLineFlag() {
    return "--" + key;
  }
}
