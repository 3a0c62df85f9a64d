package moq.relay.session;

import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moq.relay.engine.Relay;
import moq.relay.fanout.EgressLoop;

/**
 * Binds the engine's egress loops to the server's I/O event loops: every egress loop gets exactly one owner event
 * loop (one that serves deliveries gates the ring, so none may stay unpolled), whose wake-up schedules
 * {@link EgressLoop#poll()} there. A connection's session uses an egress loop its own event loop owns, so writers run
 * on the connection's thread.
 */
final class EgressLoops
{
    private final Relay relay;
    private final Map<EventLoop, Integer> byEventLoop = new HashMap<>();
    private int bound;

    EgressLoops(final Relay relay)
    {
        this.relay = relay;
    }

    /** Binds every egress loop not yet bound to {@code eventLoops}, round robin (call once the server started). */
    synchronized void bindAll(final List<EventLoop> eventLoops)
    {
        int i = 0;
        while (bound < relay.egressLoopCount() && !eventLoops.isEmpty())
        {
            bind(eventLoops.get(i++ % eventLoops.size()));
        }
    }

    /** The index of an egress loop owned by {@code eventLoop}, binding one on first use if any is left. */
    synchronized int indexFor(final EventLoop eventLoop)
    {
        final Integer index = byEventLoop.get(eventLoop);
        if (index != null)
        {
            return index;
        }
        if (bound >= relay.egressLoopCount())
        {
            throw new IllegalStateException("no egress loop left for event loop " + eventLoop);
        }
        return bind(eventLoop);
    }

    private int bind(final EventLoop eventLoop)
    {
        final int index = bound++;
        final EgressLoop loop = relay.egressLoop(index);
        final Runnable poll = loop::poll;
        loop.wakeup(() ->
        {
            try
            {
                eventLoop.execute(poll);
            }
            catch (final java.util.concurrent.RejectedExecutionException ex)
            {
                // the server is shutting down: nothing is left to write to
            }
        });
        byEventLoop.putIfAbsent(eventLoop, index);
        eventLoop.execute(poll);
        return index;
    }
}
