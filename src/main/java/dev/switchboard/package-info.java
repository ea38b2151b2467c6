/**
 * Switchboard: WebSockets joined to CDI events, with groups (rooms) of connections.
 *
 * <ul>
 *   <li>{@link dev.switchboard.events}: namespaced CDI events and an emitter that never lets an observer's
 *       failure reach the caller.</li>
 *   <li>{@link dev.switchboard.connections}: the connection handle and the lifecycle events an endpoint fires.</li>
 *   <li>{@link dev.switchboard.once}: the {@code @Once} interceptor binding.</li>
 *   <li>{@link dev.switchboard.groups}: the group registry that pushes JSON to rooms of connections.</li>
 * </ul>
 */
package dev.switchboard;
