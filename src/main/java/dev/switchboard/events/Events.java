package dev.switchboard.events;

import java.util.concurrent.CompletionStage;

/**
 * Fires CDI events with a namespace chosen at run time: Switchboard's {@code app.events.emit(..)} and
 * {@code app.events.namespace("x")}. Inject it with {@code @Inject Events events}.
 *
 * <p>Unlike a bare {@code Event.fire}, an observer's exception never reaches the caller: it is logged with its stack
 * trace and fired as {@link ObserverFailed}. The CDI rules still apply otherwise: sync observers run in the caller's
 * thread in {@code @Priority} order, and the first one to throw stops the ones after it; async observers run on
 * Liberty's default managed executor and each runs whatever the others do.
 */
public interface Events {

    /**
     * @param namespace the namespace to fire in; not blank
     * @return an {@code Events} whose events carry {@code @Namespace(namespace)}
     * @throws IllegalArgumentException if {@code namespace} is blank
     */
    Events namespace(String namespace);

    /** @return the namespace events are fired in, or {@code null} for none */
    String namespace();

    /**
     * Notifies the synchronous observers ({@code @Observes}) of {@code event}, in this thread, and returns when they
     * are done.
     *
     * @param event the event, typically a record; not null
     */
    void emit(Object event);

    /**
     * Notifies the asynchronous observers ({@code @ObservesAsync}) of {@code event} on the managed executor.
     *
     * @param event the event, typically a record; not null
     * @return completes normally when every async observer has returned or failed (failures are reported as
     *     {@link ObserverFailed}, not through this stage)
     */
    CompletionStage<Void> emitAsync(Object event);
}
