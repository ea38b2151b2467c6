package dev.switchboard.endpoints.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connections.Connection;
import dev.switchboard.endpoints.SwitchboardEndpoint;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The deployment-time checks of a {@code @SwitchboardEndpoint} class: what Switchboard cannot call fails, naming it. */
class EndpointClassTest {

    @SwitchboardEndpoint(value = "/ok/{room}", namespace = "ok")
    public static class Good {
        @OnOpen
        public void open(Connection connection, @PathParam("room") String room) {
        }

        @OnMessage
        public JsonObject message(JsonObject message, String text, Connection connection) {
            return message;
        }
    }

    @Test
    void aGoodClassResolvesEachDeclaredMethodAndNoneForTheOthers() {
        EndpointClass endpoint = EndpointClass.of(Good.class);
        assertThat(endpoint.path()).isEqualTo("/ok/{room}");
        assertThat(endpoint.namespace()).isEqualTo("ok");
        assertThat(endpoint.open().declared()).isTrue();
        assertThat(endpoint.message().declared()).isTrue();
        assertThat(endpoint.close().declared()).isFalse();
        assertThat(endpoint.error().declared()).isFalse();
    }

    interface Handler<T> {
        T handle(T message);
    }

    @SwitchboardEndpoint("/generic")
    public static class Generic implements Handler<JsonObject> {
        @OnMessage
        @Override
        public JsonObject handle(JsonObject message) { // javac adds a bridge handle(Object) carrying the annotation
            return message;
        }
    }

    @Test
    void aBridgeMethodIsNotASecondCallback() {
        assertThat(EndpointClass.of(Generic.class).message().declared()).isTrue();
    }

    public static class Base {
        @OnClose
        public void close(CloseReason reason) {
        }
    }

    @SwitchboardEndpoint("/inherits")
    public static class Inherits extends Base {
    }

    @SwitchboardEndpoint("/hides")
    public static class Hides extends Base {
        @Override
        public void close(CloseReason reason) { // no annotation: would silently drop the callback
        }
    }

    @Test
    void anInheritedCallbackCountsAndAnOverrideWithoutTheAnnotationFails() {
        assertThat(EndpointClass.of(Inherits.class).close().declared()).isTrue();
        assertThatThrownBy(() -> EndpointClass.of(Hides.class)).hasMessageContaining("Hides.close overrides @OnClose");
    }

    public static class HiddenBase {
        @OnOpen
        void open() { // package-private: the container would not call it either
        }
    }

    @SwitchboardEndpoint("/hidden")
    public static class Hidden extends HiddenBase {
    }

    @SwitchboardEndpoint("/wrong-param/{room}")
    public static class WrongPathParam {
        @OnOpen
        public void open(@PathParam("rooom") String room) {
        }
    }

    @SwitchboardEndpoint("/two")
    public static class Two {
        @OnMessage
        public void one(JsonObject m) {
        }

        @OnMessage
        public void other(String m) {
        }
    }

    @SwitchboardEndpoint("/returns")
    public static class ReturnsOptional {
        @OnMessage
        public Optional<JsonObject> message(JsonObject m) {
            return Optional.of(m);
        }
    }

    @SwitchboardEndpoint("/param")
    public static class UnknownParameter {
        @OnOpen
        public void open(StringBuilder nothing) {
        }
    }

    public static class Typed<T> {
        @OnMessage
        public void on(T message) {
        }
    }

    @SwitchboardEndpoint("/typed")
    public static class TypedJson extends Typed<JsonObject> {
        @OnMessage
        @Override
        public void on(JsonObject message) { // overrides Typed.on(Object) through a bridge
        }
    }

    @Test
    void anAnnotatedOverrideOfAGenericMethodIsOneCallback() {
        assertThat(EndpointClass.of(TypedJson.class).message().declared()).isTrue();
    }

    public interface Closing {
        @OnClose
        default void closed(CloseReason reason) {
        }
    }

    @SwitchboardEndpoint("/iface")
    public static class FromInterface implements Closing {
    }

    @SwitchboardEndpoint("/static")
    public static class StaticCallback {
        @OnOpen
        public static void open() {
        }
    }

    @SwitchboardEndpoint("/nonvoid")
    public static class ClosesWithAValue {
        @OnClose
        public String close() {
            return "x";
        }
    }

    @SwitchboardEndpoint("/int/{n}")
    public static class IntPathParam {
        @OnOpen
        public void open(@PathParam("n") int n) {
        }
    }

    @SwitchboardEndpoint("/string")
    public static class ReturnsString {
        @OnMessage
        public String message(String text) {
            return text;
        }
    }

    @Test
    void moreOfWhatSwitchboardCannotCall() {
        assertThatThrownBy(() -> EndpointClass.of(FromInterface.class)).hasMessageContaining("on an interface is not read");
        assertThatThrownBy(() -> EndpointClass.of(StaticCallback.class)).hasMessageContaining("must be public and not static");
        assertThatThrownBy(() -> EndpointClass.of(ClosesWithAValue.class)).hasMessageContaining("must return void");
        assertThatThrownBy(() -> EndpointClass.of(IntPathParam.class)).hasMessageContaining("must be a String, not int");
        assertThatThrownBy(() -> EndpointClass.of(ReturnsString.class)).hasMessageContaining("returns String");
    }

    @Test
    void aCallbackInheritedFromANonPublicBaseClassCanBeCalled() throws Exception {
        EndpointClass endpoint = EndpointClass.of(dev.switchboard.endpoints.fixtures.FromHiddenBase.class);
        JsonObject message = jakarta.json.Json.createObjectBuilder().add("n", 1).build();
        Object reply = endpoint.message().call(new dev.switchboard.endpoints.fixtures.FromHiddenBase(),
                Callback.Call.of(null, null).withMessage("{\"n\":1}", message));
        assertThat(reply).isEqualTo(message);
    }

    @ServerEndpoint("/both")
    @SwitchboardEndpoint("/both")
    public static class Both {
    }

    @Test
    void whatSwitchboardCannotCallFailsTheDeploymentNamingIt() {
        assertThatThrownBy(() -> EndpointClass.of(Hidden.class)).hasMessageContaining("HiddenBase.open must be public");
        assertThatThrownBy(() -> EndpointClass.of(WrongPathParam.class))
                .hasMessageContaining("@PathParam(\"rooom\") is not a parameter of the path");
        assertThatThrownBy(() -> EndpointClass.of(Two.class)).hasMessageContaining("two @OnMessage methods");
        assertThatThrownBy(() -> EndpointClass.of(ReturnsOptional.class)).hasMessageContaining("returns Optional");
        assertThatThrownBy(() -> EndpointClass.of(UnknownParameter.class))
                .hasMessageContaining("of type java.lang.StringBuilder cannot be given");
        assertThatThrownBy(() -> EndpointClass.of(Both.class)).hasMessageContaining("remove @ServerEndpoint");
    }
}
