package dev.switchboard.example;

import dev.switchboard.events.Events;
import dev.switchboard.groups.SendReport;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/notifications} with a JSON object: fires {@link NotificationCreated}; answers 202 {@code
 * {"delivered":n}} once the push has ended, or 400 with a JSON error if the body is not a JSON object.
 */
@RequestScoped
@Path("/notifications")
public class NotificationsResource {

    private static final long REPORT_TIMEOUT_SECONDS = 30;

    @Inject
    Events events;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> create(String body) {
        JsonValue value;
        try (JsonReader reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            value = reader.readValue();
        } catch (JsonException e) {
            return CompletableFuture.completedFuture(badRequest("body is not valid JSON: " + e.getMessage()));
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return CompletableFuture.completedFuture(
                    badRequest("body must be a JSON object, got " + value.getValueType().name().toLowerCase()));
        }
        CompletableFuture<SendReport> report = new CompletableFuture<>();
        events.emit(new NotificationCreated(value.asJsonObject(), report));
        // Bounded: if no observer completes the report (one threw), answer 503 instead of holding the request.
        return report.orTimeout(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(r -> Response.accepted(Json.createObjectBuilder()
                        .add("delivered", r.delivered()).add("failed", r.failures().size()).build()).build())
                .exceptionally(e -> Response.status(Response.Status.SERVICE_UNAVAILABLE)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(Json.createObjectBuilder().add("error", "notification not pushed: " + e).build())
                        .build());
    }

    private static Response badRequest(String why) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", why).build())
                .build();
    }
}
