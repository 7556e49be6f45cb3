package dk.brobygger.bench.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Constant arrival rate, whatever the gateway does: the i-th referral is due at start + i / rate.
 * At most {@code maxInFlight} requests are outstanding (the gateway caps connections per address);
 * a due referral that finds no free slot waits in a queue, and its latency is still counted from the
 * time it was due, so a slow gateway is not hidden by the driver slowing down with it (coordinated
 * omission). A queue longer than {@code saturatedAfter} of arrivals means the gateway does not keep
 * up: the step stops there and says so.
 */
final class OpenLoopLoad {

  /** One way of calling the gateway: mutual TLS with a client certificate, or a bearer token. */
  record Transport(String name, HttpClient client, String baseUrl, String authorization) {}

  /** A referral's bytes and its MessageHeader id. */
  record Referral(String messageId, byte[] body) {}

  interface Referrals {
    Referral next();
  }

  /** What one step produced; latencies of the {@code 202} answers in microseconds from the intended send time. */
  record Outcome(double rate, long due, long sent, long accepted, Map<Integer, Long> otherStatuses, long failures,
      boolean saturated, Histogram latency, Map<String, Histogram> latencyByTransport,
      Map<String, Long> acceptedAtNanos, Set<String> measuredIds, long windowStartNanos, long windowEndNanos) {}

  /** Told when the measured window starts and ends (from the sending loop, so on its clock). */
  interface Window {
    void started();

    void ended();
  }

  private final List<Transport> transports;
  private final Referrals referrals;
  private final int maxInFlight;

  OpenLoopLoad(List<Transport> transports, Referrals referrals, int maxInFlight) {
    this.transports = transports;
    this.referrals = referrals;
    this.maxInFlight = maxInFlight;
  }

  private record Due(long intendedNanos, boolean measured) {}

  private static void finished(AtomicLong unfinished) {
    synchronized (unfinished) {
      if (unfinished.decrementAndGet() == 0) {
        unfinished.notifyAll();
      }
    }
  }

  /**
   * Sends at {@code rate} per second for warm-up + window; only referrals due within the window are
   * measured. Returns once every sent request has been answered (or failed).
   */
  Outcome run(double rate, Duration warmUp, Duration window, Window listener) throws InterruptedException {
    Semaphore slots = new Semaphore(maxInFlight);
    Queue<Due> waiting = new ConcurrentLinkedQueue<>();
    Recorder all = new Recorder(3);
    Map<String, Recorder> byTransport = new ConcurrentHashMap<>();
    transports.forEach(t -> byTransport.put(t.name(), new Recorder(3)));
    Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    Set<String> measuredIds = ConcurrentHashMap.newKeySet();
    Map<Integer, Long> other = new ConcurrentHashMap<>();
    AtomicLong accepted = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    AtomicLong next = new AtomicLong();
    AtomicLong unfinished = new AtomicLong(); // due and not yet answered (or dropped)
    long periodNanos = (long) (1e9 / rate);
    long start = System.nanoTime() + 50_000_000L;
    long windowStart = start + warmUp.toNanos();
    long end = windowStart + window.toNanos();
    long saturatedAfter = Math.max(50, (long) (rate * 2));
    boolean saturated = false;
    boolean inWindow = false;
    long due = 0;

    Runnable pump = new Runnable() {
      @Override
      public void run() {
        while (!waiting.isEmpty() && slots.tryAcquire()) {
          Due d = waiting.poll();
          if (d == null) {
            slots.release();
            return;
          }
          Transport transport = transports.get((int) (next.getAndIncrement() % transports.size()));
          Referral referral = referrals.next();
          HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(transport.baseUrl() + "/fhir/$process-message"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/fhir+json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(referral.body()));
          if (transport.authorization() != null) {
            request.header("Authorization", transport.authorization());
          }
          sent.incrementAndGet();
          transport.client().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
              .whenComplete((answer, error) -> {
                long now = System.nanoTime();
                if (error != null) {
                  failures.incrementAndGet();
                } else if (answer.statusCode() == 202) {
                  accepted.incrementAndGet();
                  acceptedAt.put(referral.messageId(), now);
                  if (d.measured()) {
                    measuredIds.add(referral.messageId());
                  }
                } else {
                  other.merge(answer.statusCode(), 1L, Long::sum);
                }
                if (d.measured() && error == null && answer.statusCode() == 202) {
                  long micros = Math.max(1, (now - d.intendedNanos()) / 1000);
                  all.recordValue(micros);
                  byTransport.get(transport.name()).recordValue(micros);
                }
                slots.release();
                finished(unfinished);
                this.run();
              });
        }
      }
    };

    for (long intended = start; intended < end; intended = start + due * periodNanos) {
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!inWindow && intended >= windowStart) {
        inWindow = true;
        listener.started();
      }
      unfinished.incrementAndGet();
      waiting.add(new Due(intended, intended >= windowStart));
      due++;
      pump.run();
      if (waiting.size() > saturatedAfter) {
        saturated = true;
        break;
      }
    }
    long windowEnd = Math.min(end, System.nanoTime());
    if (inWindow) {
      listener.ended();
    }
    if (saturated) {
      // what is still queued was never sent: it does not count, and the step says it overflowed
      while (waiting.poll() != null) {
        finished(unfinished);
      }
    }
    synchronized (unfinished) {
      while (unfinished.get() > 0) {
        unfinished.wait(); // every referral due has been sent and answered
      }
    }
    Map<String, Histogram> latencyByTransport = new ConcurrentHashMap<>();
    byTransport.forEach((name, recorder) -> latencyByTransport.put(name, recorder.getIntervalHistogram()));
    return new Outcome(rate, due, sent.get(), accepted.get(), Map.copyOf(other), failures.get(), saturated,
        all.getIntervalHistogram(), latencyByTransport, acceptedAt, measuredIds, windowStart, windowEnd);
  }
}
