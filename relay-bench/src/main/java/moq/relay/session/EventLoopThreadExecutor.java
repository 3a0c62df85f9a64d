package moq.relay.session;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * JMH's benchmark threads, made Netty {@code FastThreadLocalThread}s like the relay's event-loop threads
 * ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class): Netty pools some per-write objects (its outbound
 * buffer entries, for one) only on such threads, so a plain JMH thread would charge the relay allocations it does not
 * make when it runs.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor
{
    public EventLoopThreadExecutor(final int maxThreads, final String prefix)
    {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
            new DefaultThreadFactory(prefix, true));
    }
}
