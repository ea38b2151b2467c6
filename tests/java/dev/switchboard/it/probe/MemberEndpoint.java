package dev.switchboard.it.probe;

import dev.switchboard.connections.Connections;
import dev.switchboard.groups.Groups;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

/**
 * {@code /probe/member/{group}?also=<group>}: a bare member of {@code group} (and of {@code also}), no welcome, no
 * presence; the tests send to it.
 */
@Dependent
@ServerEndpoint("/probe/member/{group}")
public class MemberEndpoint {

    @Inject
    Connections connections;

    @Inject
    Groups groups;

    @OnOpen
    public void open(Session session, @PathParam("group") String group) {
        var connection = connections.opened(session, "probe-member");
        try {
            groups.join(group, connection);
            var also = session.getRequestParameterMap().get("also");
            if (also != null) {
                also.forEach(other -> groups.join(other, connection));
            }
        } catch (dev.switchboard.groups.JoinDeniedException e) {
            connection.close(CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage());
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        connections.failed(session, error);
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        connections.closed(session, reason);
    }
}
