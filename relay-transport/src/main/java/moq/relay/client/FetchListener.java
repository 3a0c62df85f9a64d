package moq.relay.client;

/** Receives the objects of a FETCH, on the client's event loop thread; callbacks must not block. */
public interface FetchListener
{
    /** One object; its payload is released when this returns (see {@link ReceivedObject}). */
    void onObject(ReceivedObject object);

    /** Draft-18 End of Range: objects up to {@code (groupId, objectId)} do not exist ({@code unknown}: status unknown). */
    default void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
    }

    /** The fetch stream ended with FIN: every object of the range was delivered. */
    default void onComplete()
    {
    }

    /** The fetch stream was reset or the session closed before FIN. */
    default void onAborted(final String why)
    {
    }

    /** Draft-20 End of Timed-Out Range: objects up to {@code (groupId, objectId)} timed out (a relay's FILL_TIMEOUT). */
    default void onEndOfTimedOutRange(final long groupId, final long objectId)
    {
        onEndOfRange(groupId, objectId, true);
    }
}
