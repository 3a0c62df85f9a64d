package moq.relay.client;

/** Receives what a subscription delivers, on the client's event loop thread; callbacks must not block. */
public interface SubscriptionListener
{
    /** One object; its payload is released when this returns (see {@link ReceivedObject}). */
    void onObject(ReceivedObject object);

    /** PUBLISH_DONE: the publisher ended the subscription; no further objects beyond {@code streamCount} streams. */
    default void onPublishDone(final long statusCode, final long streamCount, final String reason)
    {
    }

    /**
     * A subgroup stream of this subscription ended after its objects were delivered: at its FIN, or {@code reset}
     * (RESET_STREAM or closed) before it. A relay forwarding the track ends or resets its own stream here.
     */
    default void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
    {
    }

    /**
     * Every subgroup stream of this subscription whose header was read, objects or not, at its end: its FIN, or
     * {@code reset} with the RESET_STREAM code the publisher (a relay) gave ({@code resetCode}; -1 when the stream
     * closed without one), e.g. a relay's TOO_FAR_BEHIND (0x5) when it skipped this subscriber to a later group.
     */
    default void onSubgroupStreamEnd(final long groupId, final long subgroupId, final boolean reset,
        final long resetCode)
    {
    }

    /** The session closed before the subscription ended. */
    default void onSessionClosed(final SessionClose close)
    {
    }
}
