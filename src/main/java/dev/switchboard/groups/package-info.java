/**
 * Groups (rooms) of connections: {@link dev.switchboard.groups.Groups} joins, leaves and sends JSON to every member,
 * encoding it once and writing it through each member's own outbox.
 */
package dev.switchboard.groups;
