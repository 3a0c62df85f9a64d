package moq.relay.fanout;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** A thread that owns and polls one {@link EgressLoop} (tests, benchmarks, or a transport without its own loop). */
public final class EgressLoopRunner implements AutoCloseable
{
    private final EgressLoop loop;
    private final Thread thread;
    private volatile boolean running = true;

    public EgressLoopRunner(final EgressLoop loop, final IdleStrategy idle)
    {
        this.loop = loop;
        this.thread = new Thread(() ->
        {
            while (running)
            {
                idle.idle(loop.poll());
            }
        }, "moq-egress-" + loop.index());
        thread.setDaemon(true);
        thread.start();
    }

    public EgressLoopRunner(final EgressLoop loop)
    {
        this(loop, new BackoffIdleStrategy(100, 10, 1_000, 100_000));
    }

    public EgressLoop loop()
    {
        return loop;
    }

    public Thread thread()
    {
        return thread;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
