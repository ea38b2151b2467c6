package dev.switchboard.groups;

/**
 * One message of a group's history.
 *
 * @param offset its offset in the group
 * @param json the frame exactly as members got it (with offset and epoch stamped in)
 */
public record GroupMessage(long offset, String json) {
}
