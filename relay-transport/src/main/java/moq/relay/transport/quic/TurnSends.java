package moq.relay.transport.quic;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicheSendDeferral;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;

/**
 * One packet send per connection per egress turn (issue #19). While a turn is open on this event loop ({@link #begin}
 * to {@link #end}), the first stream write to a connection holds back its sends ({@link QuicheSendDeferral}); the end
 * of the turn sends each such connection's packets once. quiche then packs the turn's objects for a connection into
 * full packets and one {@code sendmsg}, instead of one packet train per object with a part-filled last packet each:
 * fewer packets, fewer system calls, and fewer ACKs coming back, each of which costs the connection netty's scan of
 * its writable streams ({@code QuicheQuicChannel.handleWritableStreams}). Writes outside a turn send at once, as before.
 * <p>
 * Event-loop confined (one instance per thread). Allocation: none per write or turn once the list has grown to the
 * most connections one turn wrote to.
 */
public final class TurnSends
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TurnSends.class);

    private static final FastThreadLocal<TurnSends> CURRENT = new FastThreadLocal<TurnSends>()
    {
        @Override
        protected TurnSends initialValue()
        {
            return new TurnSends();
        }
    };

    private final ArrayList<Channel> held = new ArrayList<>();
    private int depth;

    private TurnSends()
    {
    }

    /** Opens a turn on the calling event loop; pair with {@link #end()} in a finally block. */
    public static TurnSends begin()
    {
        final TurnSends t = CURRENT.get();
        t.depth++;
        return t;
    }

    /**
     * A stream of {@code quicChannel} is about to be written to: inside a turn on the connection's own event loop, its
     * sends wait for the turn's end (a write from another thread runs later on that loop, outside this turn).
     */
    public static void writing(final Channel quicChannel)
    {
        final TurnSends t = CURRENT.get();
        if (t.depth > 0 && quicChannel != null && quicChannel.eventLoop().inEventLoop() &&
            QuicheSendDeferral.deferSends(quicChannel))
        {
            t.held.add(quicChannel);
        }
    }

    /** Ends the turn: every connection held back sends what was written to it (each once). */
    public void end()
    {
        if (--depth > 0)
        {
            return;
        }
        // Every held connection must be released: one left marked would never send again.
        for (int i = 0; i < held.size(); i++)
        {
            try
            {
                QuicheSendDeferral.sendDeferred(held.get(i));
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("sending a connection's held-back packets failed", ex);
            }
        }
        held.clear();
    }

    /** Connections held back in the current turn (tests). */
    int held()
    {
        return held.size();
    }
}
