package dk.brobygger.delivery;

import java.util.List;

/**
 * The durable queue of accepted disclosures, implemented by the gateway's storage. Claiming leases
 * rows so that two gateway instances never deliver the same row at the same time; a lease that is
 * never settled (crash) expires and the row is claimed again.
 */
public interface DisclosureOutbox {

  /** Leases up to {@code max} rows that are due now; an empty list when none are. */
  List<Disclosure> claim(int max);

  /**
   * Records an attempt's outcome: outbox row, Task and audit entry, in one transaction. Throws when
   * it cannot; the lease then expires and the row is tried again (recipients de-duplicate).
   */
  void record(AttemptOutcome outcome);
}
