package dk.brobygger.gateway.http;

import dk.brobygger.gateway.auditlog.entries.AuditEvent;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every refused request without letting a caller flood the append-only log: the first
 * refusal of a kind (same actor and address, status and reason) opens a window and is written at
 * once, durably, as its own entry; the same refusal repeated within the window only counts; when
 * the window closes (or the gateway stops) one more entry records how many further times it
 * happened, between when and when, and the last request. A crash loses at most the count of the
 * open windows, never a first refusal.
 */
public final class RepeatedRefusals implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RepeatedRefusals.class);
  /** Beyond this many open windows every refusal is written on its own: fail towards recording. */
  private static final int MAX_OPEN_WINDOWS = 10_000;

  private final AuditLog audit;
  private final Clock clock;
  private final Duration window;
  private final Map<Kind, Window> open = new HashMap<>();

  public RepeatedRefusals(AuditLog audit, Clock clock, Duration window) {
    this.audit = audit;
    this.clock = clock;
    this.window = window;
  }

  /** The same refusal: who, from where, what answer, and why. */
  private record Kind(String actor, String status, String why) {}

  private static final class Window {
    private final Instant opened;
    private long further;
    private Instant last;
    private String lastRequest;

    Window(Instant opened) {
      this.opened = opened;
    }
  }

  /**
   * Records one refusal. Runs on a worker thread (it may write to the database).
   *
   * @param actor the caller as the audit log names it (id@address)
   * @param request e.g. "GET /fhir/Consent"
   * @param status the HTTP status answered
   * @param why the reason given to the caller
   */
  public void record(String actor, String request, int status, String why) {
    Kind kind = new Kind(actor, String.valueOf(status), why);
    Instant now = clock.instant();
    Window expired = null;
    synchronized (this) {
      Window current = open.get(kind);
      if (current != null && now.isBefore(current.opened.plus(window))) {
        current.further++;
        current.last = now;
        current.lastRequest = request;
        return;
      }
      if (current != null) {
        expired = open.remove(kind);
      }
      if (open.size() < MAX_OPEN_WINDOWS) {
        open.put(kind, new Window(now));
      }
    }
    if (!summarise(kind, expired)) {
      keepForLater(kind, expired);
    }
    append(new AuditEvent.RequestRefused(clock.instant(), actor, List.of(request + " -> " + status, why)));
  }

  /** Writes the count of every window that has closed. */
  public void closeExpiredWindows() {
    Instant now = clock.instant();
    List<Map.Entry<Kind, Window>> closed = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Map.Entry<Kind, Window>> it = open.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Kind, Window> entry = it.next();
        if (!now.isBefore(entry.getValue().opened.plus(window))) {
          closed.add(entry);
          it.remove();
        }
      }
    }
    for (Map.Entry<Kind, Window> entry : closed) {
      if (!summarise(entry.getKey(), entry.getValue())) {
        keepForLater(entry.getKey(), entry.getValue());
      }
    }
  }

  /** A count that could not be written stays until the next sweep or shutdown writes it. */
  private synchronized void keepForLater(Kind kind, Window unwritten) {
    Window current = open.putIfAbsent(kind, unwritten);
    if (current != null && current != unwritten) {
      current.further += unwritten.further;
      if (current.lastRequest == null) {
        current.lastRequest = unwritten.lastRequest;
      }
      if (current.last == null || (unwritten.last != null && unwritten.last.isAfter(current.last))) {
        current.last = unwritten.last;
      }
    }
  }

  /** At shutdown: every open window's count is written before the database closes. */
  @Override
  public void close() {
    List<Map.Entry<Kind, Window>> all;
    synchronized (this) {
      all = new ArrayList<>(open.entrySet());
      open.clear();
    }
    all.forEach(entry -> summarise(entry.getKey(), entry.getValue()));
  }

  /** Writes the window's count, if it has one; false when the log could not be written. */
  private boolean summarise(Kind kind, Window window) {
    if (window == null || window.further == 0) {
      return true;
    }
    return append(new AuditEvent.RefusalsRepeated(clock.instant(), kind.actor(), window.further, List.of(
        "the same refusal (" + kind.status() + ") " + window.further + " more time" + (window.further == 1 ? "" : "s")
            + " from " + window.opened + " to " + window.last + "; last: " + window.lastRequest,
        kind.why())));
  }

  private boolean append(AuditEvent refusal) {
    try {
      audit.append(refusal);
      return true;
    } catch (RuntimeException e) {
      // the refusal changes nothing, so it is still answered; the missing record is an operational alarm
      LOG.error("could not audit a refusal ({}): {}", refusal.entry().reasons().get(0), e.toString());
      return false;
    }
  }
}
