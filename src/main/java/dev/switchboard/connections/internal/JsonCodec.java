package dev.switchboard.connections.internal;

import dev.switchboard.SwitchboardException;
import dev.switchboard.connections.InvalidMessageException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** JSON in and out: one JSON-B instance for the application (it is thread-safe and costly to build). */
@ApplicationScoped
public class JsonCodec {

    private static final Logger LOG = Logger.getLogger(JsonCodec.class.getName());

    private final Jsonb jsonb = JsonbBuilder.create();
    private final JsonReaderFactory readers = Json.createReaderFactory(Map.of());

    /**
     * @param payload a {@link JsonValue} (sent as it is) or anything JSON-B can encode
     * @return its JSON text
     * @throws SwitchboardException if JSON-B cannot encode it
     */
    public String encode(Object payload) {
        if (payload instanceof JsonValue value) {
            return value.toString();
        }
        try {
            return jsonb.toJson(payload);
        } catch (JsonbException e) {
            throw new SwitchboardException("cannot encode a " + payload.getClass().getName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param text a client's text frame
     * @return the JSON object it holds
     * @throws InvalidMessageException if it is empty, not JSON, or JSON but not an object
     */
    public JsonObject decodeObject(String text) {
        if (text.isBlank()) {
            throw new InvalidMessageException("empty frame: expected a JSON object");
        }
        JsonValue value;
        try (JsonReader reader = readers.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (JsonException e) {
            throw new InvalidMessageException("invalid JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidMessageException("expected a JSON object, got "
                    + value.getValueType().name().toLowerCase(Locale.ROOT));
        }
        return value.asJsonObject();
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Closing JSON-B failed", e);
        }
    }
}
