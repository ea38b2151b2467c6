package dev.switchboard.example;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The operator endpoints ({@code /api/...}, but {@code /api/session}) need the role {@code admin}: 401 with a Basic challenge without
 * credentials, 403 with them but without the role. {@code demo.api.admin-only=false} opens them, for local
 * experiments only.
 */
@Provider
public class AdminOnly implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "demo.api.admin-only", defaultValue = "true")
    boolean adminOnly;

    @Context
    SecurityContext security;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ((path.startsWith("/") ? path.substring(1) : path).equals(SessionResource.PATH)) {
            return; // the chat page's sign-in, for every user (a challenge here would open the browser's own dialog)
        }
        if (!adminOnly || security.isUserInRole("admin")) {
            return;
        }
        boolean anonymous = security.getUserPrincipal() == null;
        Response.ResponseBuilder refusal = Response.status(anonymous ? Response.Status.UNAUTHORIZED
                : Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", anonymous ? "authentication required (role admin)"
                        : "user " + security.getUserPrincipal().getName() + " lacks the role admin").build());
        if (anonymous) {
            refusal.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"switchboard\"");
        }
        request.abortWith(refusal.build());
    }
}
