package moq.relay.engine;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * Control-plane events of the engine, for metrics, logs and an embedding application's listeners: sessions opening
 * and closing, and every request's answer. Called on whichever thread the engine runs the operation on, mostly with
 * its control lock held: an observer must not block nor call back into the engine; it may allocate (the control plane
 * is rare). Never called per object.
 */
public interface RelayObserver
{
    /** Observes nothing. */
    RelayObserver NONE = new RelayObserver()
    {
    };

    /** A session was opened ({@link Relay#openSession}). */
    default void sessionOpened(final Session session)
    {
    }

    /** A session closed; the engine has released what it held. Called once. */
    default void sessionClosed(final Session session)
    {
    }

    /** The transport reported that {@code session} failed before its setup completed ({@link Session#setupFailed}). */
    default void setupFailed(final Session session, final String reason)
    {
    }

    /**
     * A request was answered: {@code error} is null when it was accepted. {@code namespace} is the request's
     * namespace or prefix (null for REQUEST_UPDATE and FETCH, which name a request or were answered before a track
     * was known), {@code track} its track name or null.
     */
    default void requestAnswered(final Session session, final RequestKind kind, final TrackNamespace namespace,
        final Bytes track, final RequestErrorCode error)
    {
    }

    /** Both observers, {@code first} then {@code second}. */
    static RelayObserver both(final RelayObserver first, final RelayObserver second)
    {
        if (first == NONE)
        {
            return second;
        }
        if (second == NONE)
        {
            return first;
        }
        return new RelayObserver()
        {
            @Override
            public void sessionOpened(final Session session)
            {
                first.sessionOpened(session);
                second.sessionOpened(session);
            }

            @Override
            public void sessionClosed(final Session session)
            {
                first.sessionClosed(session);
                second.sessionClosed(session);
            }

            @Override
            public void setupFailed(final Session session, final String reason)
            {
                first.setupFailed(session, reason);
                second.setupFailed(session, reason);
            }

            @Override
            public void requestAnswered(final Session session, final RequestKind kind, final TrackNamespace namespace,
                final Bytes track, final RequestErrorCode error)
            {
                first.requestAnswered(session, kind, namespace, track, error);
                second.requestAnswered(session, kind, namespace, track, error);
            }
        };
    }
}
