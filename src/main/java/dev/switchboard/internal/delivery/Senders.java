package dev.switchboard.internal.delivery;

/** How the threads that write to the network are doing, for metrics and health. */
public interface Senders {

    /** @return sender threads alive now (the configured ones plus those added for stalled writes) */
    int senderThreads();

    /** @return writes stalled over 100 ms when the senders were last watched (each holds a sender) */
    int stalledWrites();

    /** @return true if stalled writes hold every sender the pool may have, so nothing else is written */
    boolean sendersExhausted();
}
