/**
 * WebSocket connections as CDI events. An endpoint tells {@link dev.switchboard.connections.Connections} what happened
 * to its {@code Session} (one line per callback); Switchboard wraps the session in a {@link
 * dev.switchboard.connections.Connection} with its own bounded outbox and fires the lifecycle events {@link
 * dev.switchboard.connections.ConnectionOpened}, {@link dev.switchboard.connections.MessageReceived}, {@link
 * dev.switchboard.connections.ConnectionError} and {@link dev.switchboard.connections.ConnectionClosed} in the
 * endpoint's namespace.
 */
package dev.switchboard.connections;
