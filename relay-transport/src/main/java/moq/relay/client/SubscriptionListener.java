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

    /** The session closed before the subscription ended. */
    default void onSessionClosed(final SessionClose close)
    {
    }
}
