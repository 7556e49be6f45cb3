/**
 * Running the gateway for an operations team: Prometheus metrics, liveness and readiness probes and
 * the operations listener that serves them.
 */
package dk.brobygger.gateway.operations;
