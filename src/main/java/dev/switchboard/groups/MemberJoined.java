package dev.switchboard.groups;

/**
 * Fired (sync, in namespace {@value dev.switchboard.events.Namespace#GROUP}) after a connection joined a group.
 *
 * @param group the group
 * @param member the new member
 */
public record MemberJoined(String group, GroupMember member) {
}
