package dev.switchboard.example;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The chat page's sign-in, {@code /api/session}. A browser's WebSocket cannot send an {@code Authorization} header, so
 * the page signs in here with HTTP Basic; Liberty answers a request it authenticated with its single sign-on cookie
 * (LtpaToken2), which the browser then sends with the room's handshake, and the connection carries the user.
 */
@RequestScoped
@Path(SessionResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final String PATH = "session";

    @Context
    HttpServletRequest request;

    /**
     * @return {@code {"user":..,"member":true|false}} for a signed-in user, {@code {"user":null}} otherwise (also when
     *     the name or password was wrong: Liberty then goes on anonymously); never 401, which the browser would log as
     *     an error and answer with its own dialog
     */
    @GET
    public Response who() {
        JsonObject body = request.getUserPrincipal() == null
                ? Json.createObjectBuilder().addNull("user").add("member", false).build()
                : Json.createObjectBuilder().add("user", request.getUserPrincipal().getName())
                        .add("member", request.isUserInRole("member")).build();
        return Response.ok(body).header("Cache-Control", "no-store").build(); // who is signed in: never cached
    }

    /** Signs out: the single sign-on cookie is cleared. */
    @DELETE
    public Response signOut() throws ServletException {
        request.logout();
        return Response.noContent().build();
    }
}
