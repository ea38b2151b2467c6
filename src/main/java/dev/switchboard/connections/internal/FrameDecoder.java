package dev.switchboard.connections.internal;

import dev.switchboard.connections.InvalidMessageException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a client's text frame into a JSON object, or says why not. Nesting is measured before parsing, in one pass
 * without recursion, so a 100,000-deep document costs a scan and a refusal, never a deep parse.
 */
final class FrameDecoder {

    private final JsonParserFactory parsers = Json.createParserFactory(Map.of());
    private final int maxDepth;

    /** @param maxDepth how deeply arrays and objects may nest */
    public FrameDecoder(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /**
     * @param text a client's text frame
     * @return the JSON object it holds
     * @throws InvalidMessageException if it is empty, nested too deeply, not JSON, or JSON but not an object
     */
    public JsonObject decode(String text) {
        if (text.isBlank()) {
            throw new InvalidMessageException("empty frame: expected a JSON object");
        }
        int depth = depth(text);
        if (depth > maxDepth) {
            throw new InvalidMessageException("JSON nested " + depth + " deep, the limit "
                    + ConnectionSettings.MAX_JSON_DEPTH + " is " + maxDepth, depth, maxDepth);
        }
        try (JsonParser parser = parsers.createParser(new StringReader(text))) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw new InvalidMessageException("expected a JSON object, got " + kind(first));
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new InvalidMessageException("unexpected content after the JSON object");
            }
            return object;
        } catch (InvalidMessageException e) {
            throw e;
        } catch (RuntimeException e) { // JsonException, and the parser's own limits (e.g. a number's length)
            throw new InvalidMessageException("invalid JSON: " + e.getMessage());
        }
    }

    private static String kind(JsonParser.Event event) {
        return switch (event) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> event.name().toLowerCase(Locale.ROOT);
        };
    }

    /** @return the deepest nesting of arrays and objects, ignoring brackets inside strings */
    static int depth(String text) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
