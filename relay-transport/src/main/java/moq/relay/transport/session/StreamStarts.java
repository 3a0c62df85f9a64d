package moq.relay.transport.session;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many peer-opened streams of one session start being read per event-loop turn, so that a burst (a
 * publisher opening 1,000 subgroup streams at once, a client churning 1,000 request streams) costs the other
 * connections on the same event loop a slice of work at a time instead of the whole burst (docs/hardening.md).
 * <p>
 * Netty creates a channel for every stream the peer opened as the packets arrive; the session's handlers (stream
 * type, header, request decoding, the engine) run when the stream is read. {@link #admit} lets the first
 * {@code perTurn} streams of a turn be read at once; each later one gets auto-read off before it is registered (its
 * bytes stay in QUIC, under its flow control) and waits here. A task scheduled on the event loop starts the next
 * {@code perTurn} of them: netty runs scheduled tasks once per loop iteration, after the iteration's I/O, so the other
 * connections' packets are read between two slices of the burst. Streams start in the order they arrived.
 * <p>
 * A WebTransport stream is admitted once its stream header named its session ({@link #admit(Channel, Runnable)}): it
 * has been read already, so what starts it is the hand-over to the session's handlers, run now or in a later turn.
 * <p>
 * Confined to the event loop of the connection. Allocation: one scheduled task per turn in which streams started, and
 * for a WebTransport stream that has to wait, its entry.
 */
public final class StreamStarts
{
    private final EventLoop loop;
    private final int perTurn;
    /** Held streams in arrival order: a {@link Channel} (auto-read turns it on) or a {@link Held} (its start does). */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private final Runnable nextTurn = this::nextTurn;
    private int startedThisTurn;
    private boolean turnScheduled;
    private long deferred;
    private long turns;

    /** @param perTurn streams started per turn; 0 starts every stream at once (no bound). */
    public StreamStarts(final EventLoop loop, final int perTurn)
    {
        this.loop = loop;
        this.perTurn = perTurn;
    }

    /**
     * A stream the peer opened, its handlers added and not registered yet: started now, or held (auto-read off) for a
     * later turn.
     */
    public void admit(final Channel stream)
    {
        if (perTurn <= 0)
        {
            return;
        }
        if (startedThisTurn < perTurn && waiting.isEmpty())
        {
            startedThisTurn++;
        }
        else
        {
            stream.config().setAutoRead(false);
            waiting.add(stream);
            deferred++;
        }
        scheduleTurn();
    }

    /**
     * A stream the peer opened whose start is {@code start} (which turns reading back on): run now, or, held with
     * auto-read off, in a later turn if the stream is still open then.
     */
    public void admit(final Channel stream, final Runnable start)
    {
        if (perTurn <= 0)
        {
            start.run();
            return;
        }
        if (startedThisTurn < perTurn && waiting.isEmpty())
        {
            startedThisTurn++;
            scheduleTurn();
            start.run();
            return;
        }
        stream.config().setAutoRead(false);
        waiting.add(new Held(stream, start));
        deferred++;
        scheduleTurn();
    }

    private record Held(Channel stream, Runnable start)
    {
    }

    private void scheduleTurn()
    {
        if (!turnScheduled)
        {
            turnScheduled = true;
            loop.schedule(nextTurn, 0, TimeUnit.NANOSECONDS);
        }
    }

    private void nextTurn()
    {
        turnScheduled = false;
        startedThisTurn = 0;
        Object next;
        while (startedThisTurn < perTurn && (next = waiting.poll()) != null)
        {
            final Channel stream = next instanceof Held ? ((Held)next).stream() : (Channel)next;
            if (stream.isOpen())
            {
                startedThisTurn++;
                if (next instanceof Held)
                {
                    ((Held)next).start().run();
                }
                else
                {
                    stream.config().setAutoRead(true); // reads what QUIC holds for it now
                }
            }
        }
        if (startedThisTurn > 0)
        {
            turns++;
            scheduleTurn(); // the count of the turn that follows starts from 0 again
        }
    }

    /** Streams waiting for a later turn now. */
    public int waiting()
    {
        return waiting.size();
    }

    /** Streams that had to wait for a later turn, since the session began. */
    public long deferred()
    {
        return deferred;
    }

    /** Turns in which held streams were started. */
    public long resumingTurns()
    {
        return turns;
    }

    /** The session is over: nothing more is started (the streams close with their connection). */
    public void clear()
    {
        waiting.clear();
    }
}
