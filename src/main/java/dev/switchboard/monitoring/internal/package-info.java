/**
 * Switchboard's MicroProfile Metrics and Health: gauges for connections, groups, undelivered messages and the senders,
 * a readiness check and a liveness check on the senders. Nothing here is called by applications; the metric names and
 * checks are listed in the README ("Metrics and health").
 */
package dev.switchboard.monitoring.internal;
