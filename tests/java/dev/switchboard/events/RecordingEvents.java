package dev.switchboard.events;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** {@link Events} for unit tests: keeps what was emitted, in every namespace, and hands it to listeners. */
public final class RecordingEvents implements Events {

    public final List<Object> emitted = new CopyOnWriteArrayList<>();
    private final List<Consumer<Object>> listeners = new CopyOnWriteArrayList<>();

    /** Calls {@code listener} with every event emitted from now on, on the emitting thread. */
    public void listen(Consumer<Object> listener) {
        listeners.add(listener);
    }

    @Override
    public Events namespace(String namespace) {
        return this;
    }

    @Override
    public String namespace() {
        return null;
    }

    @Override
    public void emit(Object event) {
        emitted.add(event);
        listeners.forEach(l -> l.accept(event));
    }

    @Override
    public CompletionStage<Void> emitAsync(Object event) {
        emit(event);
        return CompletableFuture.completedFuture(null);
    }
}
