package dev.switchboard.example;

import dev.switchboard.connections.Connections;
import dev.switchboard.groups.GroupInfo;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.TreeSet;

/** The operators' view of the groups: {@code /api/groups}, {@code /api/groups/{name}}, {@code /api/stats}. */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {

    @Inject
    Groups groups;

    @Inject
    Connections connections;

    /** @return {@code {"<group>":<member count>, ...}}, the reference's {@code show_groups} */
    @GET
    @Path("groups")
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

    /** @return one group's members, history and drop counters; 404 if it has no members */
    @GET
    @Path("groups/{name}")
    public Response group(@PathParam("name") String name) {
        return groups.info(name)
                .map(info -> Response.ok(json(info)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Json.createObjectBuilder().add("error", "no group named " + name).build()).build());
    }

    /** @return open connections, groups, and the drop counters across all groups */
    @GET
    @Path("stats")
    public JsonObject stats() {
        Groups.Totals totals = groups.totals();
        return Json.createObjectBuilder()
                .add("connections", connections.count())
                .add("groups", groups.names().size())
                .add("dropped", totals.dropped())
                .add("slowClosed", totals.slowClosed())
                .build();
    }

    private static JsonObject json(GroupInfo info) {
        JsonArrayBuilder members = Json.createArrayBuilder();
        info.members().forEach(m -> members.add(ChatRoom.json(m)));
        return Json.createObjectBuilder()
                .add("name", info.name())
                .add("epoch", info.epoch())
                .add("overflow", info.policy().overflow().name())
                .add("members", members)
                .add("history", Json.createObjectBuilder()
                        .add("messages", info.historyMessages())
                        .add("bytes", info.historyBytes())
                        .add("firstOffset", info.firstRetainedOffset())
                        .add("lastOffset", info.lastOffset())
                        .add("maxMessages", info.policy().historyMessages())
                        .add("maxBytes", info.policy().historyBytes()))
                .add("dropped", info.dropped())
                .add("slowClosed", info.slowClosed())
                .build();
    }
}
