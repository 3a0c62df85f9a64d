package moq.relay.metrics;

import java.util.HashMap;
import java.util.Map;

import moq.relay.engine.RelayObserver;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.Session;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per MoQT session end, on logger {@code moq.relay.session.end}: the session, its draft and transport,
 * how long it lasted, its requests (and how many were refused), and the objects and payload bytes the relay sent it.
 * For example {@code session 7 (d18 /127.0.0.1:50432) draft-18 quic ended after 12034ms: 3 requests (1 refused),
 * 2400 objects sent (9830400 bytes)}. The close reason is the session's own line just before. Never logs a token.
 */
public final class SessionEndLog implements RelayObserver
{
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.session.end");

    /** Requests answered per open session: [answered, refused]; guarded by this. */
    private final Map<Session, int[]> requests = new HashMap<>();

    @Override
    public synchronized void sessionOpened(final Session session)
    {
        requests.put(session, new int[2]);
    }

    @Override
    public synchronized void requestAnswered(final Session session, final RequestKind kind,
        final TrackNamespace namespace, final Bytes track, final RequestErrorCode error)
    {
        final int[] counts = requests.get(session);
        if (counts != null)
        {
            counts[0]++;
            counts[1] += error == null ? 0 : 1;
        }
    }

    @Override
    public void sessionClosed(final Session session)
    {
        final int[] counts;
        synchronized (this)
        {
            counts = requests.remove(session);
        }
        if (LOG.isInfoEnabled())
        {
            LOG.info("session {} ({}) {} {} ended after {}ms: {} requests ({} refused), {} objects sent ({} bytes)",
                session.id(), session.name(), session.draft(), session.transport(),
                (System.nanoTime() - session.openedNanos()) / 1_000_000, counts == null ? 0 : counts[0],
                counts == null ? 0 : counts[1], session.objectsOut(), session.bytesOut());
        }
    }
}
