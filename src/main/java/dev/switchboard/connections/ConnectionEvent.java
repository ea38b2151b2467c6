package dev.switchboard.connections;

/**
 * An event about one connection. {@code @Once(per = CONNECTION)} finds the connection to count against in a parameter
 * of this type (or of type {@link Connection}).
 */
public interface ConnectionEvent {

    /** @return the connection the event is about */
    Connection connection();
}
