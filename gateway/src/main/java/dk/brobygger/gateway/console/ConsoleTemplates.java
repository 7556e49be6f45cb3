package dk.brobygger.gateway.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The console's pages: jte templates under gateway/src/main/jte, compiled to Java classes at build
 * time (jte-maven-plugin), so the running gateway needs no template compiler. HTML output is
 * escaped by context.
 */
public final class ConsoleTemplates {

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Renders e.g. {@code render("home.jte", Map.of("frame", frame))}. */
  public String render(String template, Map<String, Object> parameters) {
    StringOutput output = new StringOutput();
    engine.render(template, parameters, output);
    return output.toString();
  }
}
