package dev.switchboard.connections.internal;

import dev.switchboard.connections.ConnectionError;
import dev.switchboard.connections.InvalidMessageException;
import dev.switchboard.internal.delivery.Frame;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import java.util.Optional;

/**
 * What a client's text frame must pass before the application sees it: the rate limit, the frame size, and JSON (an
 * object, not nested too deeply). A refused frame gets an error frame back and fires {@code ConnectionError}, or closes
 * the connection (1009 too big, 1008 a rate kept up after the error frame); either way the application never sees it.
 */
final class InboundGuard {

    private static final JsonProvider JSON = JsonProvider.provider(); // Json.* looks it up on every call

    private final ConnectionSettings settings;
    private final FrameDecoder decoder;

    InboundGuard(ConnectionSettings settings) {
        this.settings = settings;
        this.decoder = new FrameDecoder(settings.maxJsonDepth());
    }

    /** @return the frame's JSON object, or empty if it was refused (the client has been told) */
    Optional<JsonObject> admit(SessionConnection connection, String text) {
        switch (connection.rate()) {
            case ALLOW -> { }
            case WARN -> {
                refuse(connection, new InvalidMessageException("rate limit: more than " + connection.messagesPerSecond()
                        + " messages a second, the limit " + ConnectionSettings.MESSAGES_PER_SECOND + " is "
                        + connection.messagesPerSecond() + "; messages are dropped until the rate falls",
                        connection.messagesPerSecond() + 1L, connection.messagesPerSecond()));
                return Optional.empty();
            }
            case DROP -> {
                return Optional.empty();
            }
            case CLOSE -> {
                connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limit: kept sending over "
                        + connection.messagesPerSecond() + " messages a second after an error frame");
                return Optional.empty();
            }
        }
        try {
            int bytes = utf8Length(text);
            if (bytes > settings.maxFrameBytes()) {
                connection.close(CloseReason.CloseCodes.TOO_BIG, "frame of " + bytes + " bytes, the limit "
                        + ConnectionSettings.MAX_FRAME_BYTES + " is " + settings.maxFrameBytes());
                return Optional.empty();
            }
            return Optional.of(decoder.decode(text));
        } catch (InvalidMessageException e) {
            refuse(connection, e);
            return Optional.empty();
        }
    }

    private void refuse(SessionConnection connection, InvalidMessageException why) {
        connection.send(JSON.createObjectBuilder().add("type", "error").add("error", why.getMessage()).build());
        connection.events().emit(new ConnectionError(connection, why));
    }

    // Most frames are far below the limit even at 3 bytes a char (the most a UTF-16 char takes); only the rest are
    // measured, and the exact length is only needed for them.
    private int utf8Length(String text) {
        return (long) text.length() * 3 <= settings.maxFrameBytes() ? text.length() : Frame.of(text).bytes();
    }
}
