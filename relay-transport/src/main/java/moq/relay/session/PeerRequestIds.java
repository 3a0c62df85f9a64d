package moq.relay.session;

import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

/**
 * The request ids a draft-18 peer has used. Draft-18 §"Request ID" makes only a wrong parity or a duplicate an error
 * (INVALID_REQUEST_ID): each request has its own bidirectional stream and QUIC does not order streams, so a peer's
 * ids arrive out of order (0 then 2 sent, 2 read first) and a lower id than one already seen is no error by itself.
 *
 * <p>Bounded memory: the highest id seen and, in a ring of bits, which of the {@code window} ids of the peer's parity
 * below it (and including it) were used. An id further below than that cannot be told from a duplicate and is refused
 * as INVALID_REQUEST_ID too. The window is the QUIC bidirectional stream limit the relay grants: draft-18 has no
 * MAX_REQUEST_ID and leaves request limits to stream limits (§"Resource Exhaustion"), and a request still in flight
 * holds its stream (and every lower-numbered one QUIC opened implicitly), so a peer numbering its request streams in
 * request-id order lags by fewer ids than that. Event-loop confined, like its session. The test and bench client
 * ({@code moq.relay.client}) checks its server's ids with it too.
 */
public final class PeerRequestIds
{
    private final long parity;
    private final int window;
    private final long[] used;
    /** Highest id seen, halved ({@code id >>> 1}, so unsigned ids up to 2^64-1 stay non-negative); -1 before any. */
    private long highest = -1;

    /**
     * @param parity 0 when the peer is the client (even ids), 1 when it is the server (odd ids).
     * @param window ids of the peer's parity remembered below the highest one seen (at least 1).
     */
    public PeerRequestIds(final long parity, final int window)
    {
        if (window < 1)
        {
            throw new IllegalArgumentException("window " + window);
        }
        this.parity = parity;
        this.window = window;
        this.used = new long[(window + 63) >>> 6];
    }

    /** Records a new request's id, or throws INVALID_REQUEST_ID for a wrong parity, a duplicate or one too old to tell. */
    public void use(final long requestId) throws WireException
    {
        if ((requestId & 1) != parity)
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "request id " + Long.toUnsignedString(requestId) +
                (parity == 0 ? " is odd" : " is even"));
        }
        final long k = requestId >>> 1;
        if (k > highest)
        {
            if (highest >= 0)
            {
                // Slots between the old and the new highest are fresh ids: forget what the ring held for them.
                final long fresh = Math.min(k - highest, window);
                for (long i = 0; i < fresh; i++)
                {
                    clear(k - i);
                }
            }
            highest = k;
        }
        else if (highest - k >= window)
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "request id " + Long.toUnsignedString(requestId) +
                " is more than " + window + " requests below the highest seen (" + Long.toUnsignedString(highestId()) +
                "), too old to tell whether it was used");
        }
        else if (isSet(k))
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "request id " + Long.toUnsignedString(requestId) +
                " was already used");
        }
        set(k);
    }

    /**
     * The smallest id of the peer's parity not yet used within the window (GOAWAY's Request ID: "the smallest peer
     * Request ID that was not or might not have been processed"); the peer's first id before any.
     */
    long smallestUnused()
    {
        if (highest < 0)
        {
            return parity;
        }
        for (long k = Math.max(0, highest - window + 1); k <= highest; k++)
        {
            if (!isSet(k))
            {
                return (k << 1) | parity;
            }
        }
        return ((highest + 1) << 1) | parity;
    }

    private long highestId()
    {
        return (highest << 1) | parity;
    }

    private int slot(final long k)
    {
        return (int)(k % window);
    }

    private boolean isSet(final long k)
    {
        final int s = slot(k);
        return (used[s >>> 6] & (1L << s)) != 0;
    }

    private void set(final long k)
    {
        final int s = slot(k);
        used[s >>> 6] |= 1L << s;
    }

    private void clear(final long k)
    {
        final int s = slot(k);
        used[s >>> 6] &= ~(1L << s);
    }
}
