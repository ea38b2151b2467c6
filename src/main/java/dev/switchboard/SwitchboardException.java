package dev.switchboard;

/**
 * Root of the unchecked exceptions Switchboard raises at run time. Messages quote the offending value and,
 * where one applies, the limit it broke.
 */
public class SwitchboardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, quoting the offending value and the limit */
    public SwitchboardException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, quoting the offending value and the limit
     * @param cause the underlying failure
     */
    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
