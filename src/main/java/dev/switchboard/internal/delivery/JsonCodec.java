package dev.switchboard.internal.delivery;

import dev.switchboard.SwitchboardException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** JSON out: one JSON-B instance for the application (it is thread-safe and costly to build). */
@ApplicationScoped
public class JsonCodec {

    private static final Logger LOG = Logger.getLogger(JsonCodec.class.getName());

    private final Jsonb jsonb = JsonbBuilder.create();

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

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Closing JSON-B failed", e);
        }
    }
}
