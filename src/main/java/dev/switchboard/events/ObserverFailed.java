package dev.switchboard.events;

/**
 * Fired by {@link Events} when an observer of {@code event} threw: in the same namespace as the event that failed, so
 * that {@code @Observes @Namespace("ws") ObserverFailed f} sees the failures of namespace {@code ws}.
 *
 * <p>The failure has already been logged with its stack trace. If an observer of {@code ObserverFailed} itself throws,
 * that is logged only: no further event is fired, so a failing error observer cannot loop.
 *
 * @param event the event whose observer threw
 * @param namespace the namespace it was fired in, or {@code null} if it had none
 * @param error what the observer threw
 */
public record ObserverFailed(Object event, String namespace, Throwable error) {
}
