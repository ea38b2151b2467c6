/**
 * The contract between Switchboard's features, in one place: how a frame reaches a member ({@link
 * dev.switchboard.internal.delivery.Member}, {@link dev.switchboard.internal.delivery.Frame}, {@link dev.switchboard.internal.delivery.FrameCallback},
 * {@link dev.switchboard.internal.delivery.FrameSource}, {@link dev.switchboard.internal.delivery.Deferred}), how payloads become frames
 * ({@link dev.switchboard.internal.delivery.JsonCodec}), and what the senders report. The connections feature implements it;
 * groups and monitoring use it. Not for applications: the ArchUnit rules (tests, ArchitectureTest) keep the demo and
 * the consumer out of it.
 */
package dev.switchboard.internal.delivery;
