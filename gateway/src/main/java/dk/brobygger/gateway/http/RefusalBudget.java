package dk.brobygger.gateway.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many unauthenticated or unauthorised requests one client address may have refused: a token
 * bucket per address of {@code perMinute} refusals, refilled evenly over a minute. An address that
 * has spent its budget is answered 429 before anything else is done for it (no signature check, no
 * audit write per request), until the bucket holds a refusal again. Clients behind one address
 * (a NAT) share its budget.
 */
public final class RefusalBudget {

  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final double capacity;
  private final double perNano;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RefusalBudget(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  RefusalBudget(int perMinute, LongSupplier nanoTime) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("perMinute must be at least 1");
    }
    this.capacity = perMinute;
    this.perNano = perMinute / (double) MINUTE_NANOS;
    this.nanoTime = nanoTime;
  }

  /** Whole seconds until the address may be refused again; 0 while it has budget left. */
  public long retryAfterSeconds(String address) {
    Bucket bucket = buckets.get(address);
    if (bucket == null) {
      return 0;
    }
    synchronized (bucket) {
      double tokens = bucket.refilled(nanoTime.getAsLong(), capacity, perNano);
      if (tokens >= 1) {
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
  }

  /** Takes one refusal from the address's budget (never below empty). */
  public void spend(String address) {
    Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(capacity, nanoTime.getAsLong()));
    synchronized (bucket) {
      double tokens = bucket.refilled(nanoTime.getAsLong(), capacity, perNano);
      bucket.tokens = Math.max(0, tokens - 1);
    }
  }

  /** Forgets addresses whose budget is whole again, so the table holds only recent offenders. */
  public void forgetRecovered() {
    long now = nanoTime.getAsLong();
    buckets.values().removeIf(bucket -> {
      synchronized (bucket) {
        return bucket.refilled(now, capacity, perNano) >= capacity;
      }
    });
  }

  int trackedAddresses() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }

    double refilled(long now, double capacity, double perNano) {
      if (now > updated) {
        tokens = Math.min(capacity, tokens + (now - updated) * perNano);
        updated = now;
      }
      return tokens;
    }
  }
}
