package dev.switchboard.groups;

/**
 * Fired (sync, in namespace {@value dev.switchboard.events.Namespace#GROUP}) after a connection left a group: because
 * the application made it leave, or because it closed, failed or was closed as a slow consumer.
 *
 * @param group the group
 * @param member the member that left
 */
public record MemberLeft(String group, GroupMember member) {
}
