package moq.relay.client;

/** Session-level events, on the client's event loop thread. */
public interface SessionListener
{
    SessionListener NONE = new SessionListener()
    {
    };

    /** GOAWAY: the server asks the client to move to {@code newSessionUri} (empty: reconnect to the same URI). */
    default void onGoaway(final String newSessionUri)
    {
    }

    default void onClosed(final SessionClose close)
    {
    }
}
