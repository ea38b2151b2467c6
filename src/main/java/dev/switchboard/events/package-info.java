/**
 * Namespaced CDI events: the {@link dev.switchboard.events.Namespace} qualifier, the {@link dev.switchboard.events.Events}
 * emitter (fire with a namespace chosen at run time, sync or async) and {@link dev.switchboard.events.ObserverFailed},
 * fired when an observer throws.
 */
package dev.switchboard.events;
