package dev.switchboard.example;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/notifications} with a JSON object: creates it in a transaction that fires {@link
 * NotificationCreated}; answers 202 {@code {"committed":true,"offset":o,"delivered":n,"failed":m}} once the push has
 * ended, {@code {"committed":false,"delivered":0,...}} with {@code ?rollback=true} (nothing is pushed), or 400 with a
 * JSON error if the body is not a JSON object.
 */
@RequestScoped
@Path("/notifications")
public class NotificationsResource {

    private static final long REPORT_TIMEOUT_SECONDS = 30;

    @Inject
    Notifications notifications;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.WILDCARD})
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> create(String body, @QueryParam("rollback") boolean rollback) {
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
        // Bounded: if no observer completes the outcome (one threw), answer 503 instead of holding the request.
        return notifications.create(value.asJsonObject(), rollback)
                .orTimeout(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(NotificationsResource::accepted)
                .exceptionally(e -> Response.status(Response.Status.SERVICE_UNAVAILABLE)
                        .type(MediaType.APPLICATION_JSON)
                        .entity(Json.createObjectBuilder().add("error", "notification not pushed: " + e).build())
                        .build());
    }

    private static Response accepted(Optional<SendReport> outcome) {
        return Response.accepted(outcome
                .map(r -> Json.createObjectBuilder().add("committed", true).add("offset", r.offset())
                        .add("delivered", r.delivered()).add("failed", r.failures().size()))
                .orElseGet(() -> Json.createObjectBuilder().add("committed", false).add("delivered", 0)
                        .add("failed", 0))
                .build()).build();
    }

    private static Response badRequest(String why) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", why).build())
                .build();
    }
}
