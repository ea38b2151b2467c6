package dev.switchboard.groups;

import dev.switchboard.SwitchboardException;

/**
 * A group operation that needs the cluster's Redis (a send, or the first join of a group on this server) while this
 * server cannot reach it. Nothing was sent, and the connection stays open: retry later. A client whose join failed
 * this way is closed with 1013 (try again later).
 */
public class ClusterUnavailableException extends SwitchboardException {

    private static final long serialVersionUID = 1L;

    private final String group;

    /**
     * @param group the group
     * @param what what could not be done
     * @param cause what Redis or its client said
     */
    public ClusterUnavailableException(String group, String what, Throwable cause) {
        super(what + " for group \"" + group + "\": the cluster's Redis is unreachable (" + describe(cause) + ")",
                cause);
        this.group = group;
    }

    /** @return the group */
    public String group() {
        return group;
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
