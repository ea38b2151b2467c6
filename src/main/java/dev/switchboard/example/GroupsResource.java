package dev.switchboard.example;

import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.TreeSet;

/** {@code GET /api/groups}: {@code {"<group>":<member count>, ...}}, the reference's {@code show_groups}. */
@RequestScoped
@Path("/groups")
public class GroupsResource {

    @Inject
    Groups groups;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject list() {
        JsonObjectBuilder body = Json.createObjectBuilder();
        for (String name : new TreeSet<>(groups.names())) {
            int size = groups.members(name).size();
            if (size > 0) { // a group can empty between the two reads
                body.add(name, size);
            }
        }
        return body.build();
    }
}
