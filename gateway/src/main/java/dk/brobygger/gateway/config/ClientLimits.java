package dk.brobygger.gateway.config;

import java.time.Duration;

/**
 * What one client address may cost the gateway before it has proved who it is.
 *
 * @param requestTimeout a connection must send each whole request within this time of being free
 *     to send it (covers trickled headers and bodies, and idle keep-alive connections)
 * @param maxConnectionsPerAddress open connections one address may hold
 * @param refusalsPerMinute unauthenticated or unauthorised requests answered per address and
 *     minute (token bucket of this size, refilled evenly); beyond it 429
 * @param refusalWindow identical refusals from one address within this window are one audit entry
 *     plus one entry with the count
 */
public record ClientLimits(
    Duration requestTimeout, int maxConnectionsPerAddress, int refusalsPerMinute, Duration refusalWindow) {

  public ClientLimits {
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new ConfigurationError("http.request-timeout must be longer than zero");
    }
    if (maxConnectionsPerAddress < 1) {
      throw new ConfigurationError("http.max-connections-per-address must be at least 1");
    }
    if (refusalsPerMinute < 1) {
      throw new ConfigurationError("http.refusals-per-minute must be at least 1");
    }
    if (refusalWindow.isNegative() || refusalWindow.isZero()) {
      throw new ConfigurationError("audit.refusal-window must be longer than zero");
    }
  }
}
