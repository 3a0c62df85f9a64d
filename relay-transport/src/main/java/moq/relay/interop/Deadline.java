package moq.relay.interop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The time budget of one test case, started when the case starts. */
final class Deadline
{
    private final long startNanos = System.nanoTime();
    private final long endNanos;
    private final Duration timeout;

    Deadline(final Duration timeout)
    {
        this.timeout = timeout;
        this.endNanos = startNanos + timeout.toNanos();
    }

    Duration timeout()
    {
        return timeout;
    }

    /** Milliseconds left, at least 1 (a zero timeout would mean "wait forever" to some APIs). */
    long remainingMillis()
    {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    long elapsedMillis()
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Waits for {@code future} within the budget. A timeout becomes an {@link InteropFailure} expecting {@code
     * expected}; a failed future rethrows its cause.
     */
    <T> T await(final CompletableFuture<T> future, final String expected) throws Exception
    {
        try
        {
            return future.get(remainingMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            throw new InteropFailure(expected, "timeout", "no " + expected + " within " + timeout.toMillis() + " ms");
        }
        catch (final ExecutionException e)
        {
            throw e.getCause() instanceof Exception ? (Exception)e.getCause() : e;
        }
    }

    /** Sleeps {@code millis}, or less if the budget ends first. */
    void sleep(final long millis) throws InterruptedException
    {
        Thread.sleep(Math.min(millis, remainingMillis()));
    }
}
