package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Join authorization fails closed: an observer that throws refuses the join, it does not let it through. */
class AuthorizationIT extends ModuleTest {

    @Test
    void aJoinRequestedObserverThatThrowsRefusesTheJoin() {
        // ThrowingAuthorization (a probe) throws for authz-throws-*, as principal().get() does for anonymous users.
        WsClient client = WsClient.connect("/probe/member/authz-throws-room");
        WsClient.Close close = client.awaitClose();
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).contains("authz-throws-room").contains("authorization check failed");
        assertThat(Server.get("/api/probe/members?group=authz-throws-room").json().getInt("members")).isZero();
    }
}
