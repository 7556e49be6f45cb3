package dk.brobygger.gateway.console.officer;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.DisclosureReport;
import dk.brobygger.gateway.console.Console;
import dk.brobygger.gateway.console.ConsoleReply;
import dk.brobygger.gateway.console.ConsoleRequest;
import dk.brobygger.gateway.console.ConsoleRole;
import io.vertx.ext.web.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The privacy officer's half of the console, under /console/tilsyn, open to the PRIVACY_OFFICER role
 * only (the console refuses anyone else with 403 on the server). Every read of a citizen's data is
 * audited with the person and the party.
 */
public final class OfficerPages {

  public static final String HOME = "/console/tilsyn";
  static final String TIMELINE = HOME + "/borger";
  static final String REPORT = HOME + "/borger/rapport";
  static final String CHECKPOINT = HOME + "/log/kontrolpunkt";
  static final String PATHS = HOME + "/log/stier";
  static final String RECEIPT = HOME + "/kvittering";
  private static final Set<ConsoleRole> OFFICER = EnumSet.of(ConsoleRole.PRIVACY_OFFICER);

  /** The kinds of identifier the officer may look a citizen up by, as the form names them. */
  private static final Map<String, String> KINDS = Map.of(
      "cpr", CitizenIdentifier.CPR,
      "erstatning", CitizenIdentifier.REPLACEMENT_CPR,
      "lokal", CitizenIdentifier.LOCAL_OUTREACH);

  private final Console console;
  private final CitizenTimeline timeline;
  private final DisclosureReport reports;
  private final LogVerification verification;
  private final LogOverview overview;

  public OfficerPages(Console console, CitizenTimeline timeline, DisclosureReport reports, LogVerification verification,
      LogOverview overview) {
    this.console = Objects.requireNonNull(console, "console");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
    this.reports = Objects.requireNonNull(reports, "reports");
    this.verification = Objects.requireNonNull(verification, "verification");
    this.overview = Objects.requireNonNull(overview, "overview");
  }

  /** After ConsoleRoutes.install, which puts the console's headers and checks in front of these. */
  public void install(Router router) {
    router.get(HOME).handler(console.page(OFFICER, this::home));
    router.get(TIMELINE).handler(console.page(OFFICER, this::timeline));
    router.get(REPORT).handler(console.page(OFFICER, this::report));
    router.get(CHECKPOINT).handler(console.page(OFFICER, verification::checkpoint));
    router.get(PATHS).handler(console.page(OFFICER, verification::paths));
    router.get(RECEIPT).handler(console.page(OFFICER, verification::receipt));
  }

  private ConsoleReply home(ConsoleRequest request) {
    return new ConsoleReply.Html(200, console.templates().render("officer/overview.jte",
        Map.of("frame", request.frame("Tilsyn"), "overview", overview.now())));
  }

  private ConsoleReply timeline(ConsoleRequest request) {
    CitizenIdentifier citizen = citizen(request);
    int page = request.field("side").map(OfficerPages::pageNumber).orElse(1);
    CitizenTimeline.Page shown = timeline.page(citizen, page);
    verification.coverUpTo(shown.lastSequence());
    console.audit().read(request, Optional.of(citizen), "privacy officer's timeline, page " + shown.page());
    return new ConsoleReply.Html(200, console.templates().render("officer/timeline.jte", Map.of(
        "frame", request.frame("Borgerens historik"),
        "page", shown,
        "kind", request.field("type").orElse("cpr"),
        "logKey", verification.pinnedLogKey(),
        "witnessKeys", verification.witnessKeys(),
        "witnessQuorum", verification.witnessQuorum(),
        "checkpointUrl", CHECKPOINT,
        "pathsUrl", PATHS)));
  }

  /** The citizen's own report in Danish, to print and hand over. */
  private ConsoleReply report(ConsoleRequest request) {
    CitizenIdentifier citizen = citizen(request);
    // the console's CSP refuses inline style: the report links the same stylesheet, served with the console's
    String html = reports.htmlLinkingStyle(reports.about(citizen), "/console/assets/report.css", OfficerPages::receipt);
    console.audit().read(request, Optional.of(citizen), "citizen's disclosure report (printable)");
    return new ConsoleReply.Html(200, html);
  }

  /** Where the console serves a delivered disclosure's receipt (the API's needs API credentials). */
  static String receipt(String messageId) {
    return RECEIPT + "?message=" + URLEncoder.encode(messageId, StandardCharsets.UTF_8);
  }

  private static CitizenIdentifier citizen(ConsoleRequest request) {
    String kind = request.field("type").orElse("cpr");
    String system = Optional.ofNullable(KINDS.get(kind))
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Vælg CPR-nummer, erstatningsnummer eller lokalt id"));
    String value = request.required("nummer", "Nummer");
    if (system.equals(CitizenIdentifier.CPR) && !value.matches("[0-9]{6}-?[0-9]{4}")) {
      throw new Rejected(Rejected.Kind.INVALID, "Et CPR-nummer har 10 cifre, fx 0101801234");
    }
    return new CitizenIdentifier(system, system.equals(CitizenIdentifier.CPR) ? value.replace("-", "") : value);
  }

  private static int pageNumber(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new Rejected(Rejected.Kind.INVALID, "\"side\" skal være et helt tal");
    }
  }
}
