package dk.brobygger.gateway.operations;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log format from the gateway's mode before it starts: JSON lines for log shippers,
 * except in demo mode, where a person reads the console. An explicit {@code -Dbrobygger.log.format}
 * (json or text) wins.
 */
public final class LogFormat {

  public static final String PROPERTY = "brobygger.log.format";

  private LogFormat() {}

  public static void choose(boolean demo) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    System.setProperty(PROPERTY, demo ? "text" : "json");
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL config = LogFormat.class.getResource("/logback.xml");
    if (!(factory instanceof LoggerContext context) || config == null || !demo) {
      return; // json is what logback.xml already chose without the property
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml: " + e.getMessage(), e);
    }
  }
}
