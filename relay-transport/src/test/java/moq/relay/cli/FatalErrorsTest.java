package moq.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An OutOfMemoryError that reaches the relay's own code ends the process (status 3, as -XX:+ExitOnOutOfMemoryError)
 * rather than leaving threads dead; other errors are reported and the timer keeps running.
 */
class FatalErrorsTest
{
    private final List<Integer> halts = new ArrayList<>();

    @Test
    void aThreadDyingOfOutOfMemoryHaltsTheProcess() throws Exception
    {
        final Thread t = new Thread(() ->
        {
            throw new OutOfMemoryError("Java heap space");
        }, "moq-relay-io");
        t.setUncaughtExceptionHandler(FatalErrors.handler(halts::add));
        t.start();
        t.join();
        assertThat(halts).containsExactly(FatalErrors.EXIT_OUT_OF_MEMORY);
    }

    @Test
    void anOutOfMemoryErrorWrappedInAnotherIsSeenToo()
    {
        assertThat(FatalErrors.isOutOfMemory(new RuntimeException(new OutOfMemoryError()))).isTrue();
        assertThat(FatalErrors.isOutOfMemory(new IllegalStateException("x"))).isFalse();
    }

    @Test
    void theGuardedTimerHaltsOnOutOfMemoryAndOutlivesOtherFailures() throws Exception
    {
        final AtomicInteger runs = new AtomicInteger();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try
        {
            timer.scheduleAtFixedRate(FatalErrors.guard("timer", () ->
            {
                if (runs.incrementAndGet() <= 2)
                {
                    throw new IllegalStateException("a bug, not fatal");
                }
                if (runs.get() == 4)
                {
                    throw new OutOfMemoryError("Java heap space");
                }
            }, halts::add), 0, 5, TimeUnit.MILLISECONDS);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 6 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
        }
        finally
        {
            timer.shutdownNow();
        }
        assertThat(runs.get()).as("the task stays scheduled after a failure").isGreaterThanOrEqualTo(6);
        assertThat(halts).as("halted once, for the OutOfMemoryError").containsExactly(FatalErrors.EXIT_OUT_OF_MEMORY);
    }
}
