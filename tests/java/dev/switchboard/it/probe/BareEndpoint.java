package dev.switchboard.it.probe;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** {@code /probe/bare}: a Liberty endpoint that keeps nothing, to tell what Liberty itself keeps per connection. */
@ServerEndpoint("/probe/bare")
public class BareEndpoint {

    @OnMessage
    public void message(String text) {
        // nothing
    }
}
