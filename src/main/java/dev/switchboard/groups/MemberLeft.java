package dev.switchboard.groups;

/**
 * Fired (sync, in namespace {@value dev.switchboard.events.Namespace#GROUP}) after a connection left a group: because
 * the application made it leave, or because it closed, failed or was closed as a slow consumer; fired on the server the
 * connection is on. On several servers also when a server crashed (it stopped its heartbeats for the presence TTL):
 * then once for each of its members in the whole cluster, on the server that swept it, with {@link
 * GroupMember#connection()} empty.
 *
 * @param group the group
 * @param member the member that left
 */
public record MemberLeft(String group, GroupMember member) {
}
