package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoop;

/** An event-loop owner (here a single-thread executor) polls only when woken, with wake-ups coalesced. */
class WakeupTest
{
    @Test
    void anExecutorOwnedLoopDeliversEverythingPollingOnlyWhenWoken() throws Exception
    {
        final ExecutorService eventLoop = Executors.newSingleThreadExecutor();
        try (Relay relay = new Relay(RelayConfiguration.defaults(), 1))
        {
            final EgressLoop loop = relay.egressLoop(0);
            final AtomicLong polls = new AtomicLong();
            final Runnable pollTask = () ->
            {
                polls.incrementAndGet();
                loop.poll();
            };
            loop.wakeup(() -> eventLoop.execute(pollTask));

            final FullTrackName track = FullTrackName.of("t", "woken");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final List<MemoryBoundTest.RecordingWriterCounting> writers = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                final MemoryBoundTest.RecordingWriterCounting w = new MemoryBoundTest.RecordingWriterCounting();
                writers.add(w);
                // The session's control calls happen on the event loop too, as a transport's would.
                eventLoop.submit(() -> relay.openSession("s", 0).subscribe(1, track, SubscribeOptions.of(null), w,
                    new Callbacks.Sub())).get();
            }
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
            final int objects = 10_000; // 2.5 MB: within the default 4 MiB backlog even if the publisher runs far ahead
            for (int i = 0; i < objects; i++)
            {
                up.ingest().object(0, i / 100, 0, i % 100, 128, 0, null, 0, 0, payload, 0, 200);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline)
            {
                final long min = eventLoop.submit(() -> writers.stream().mapToLong(w -> w.count).min().orElse(0))
                    .get();
                if (min == objects)
                {
                    break;
                }
                Thread.sleep(5);
            }
            final long delivered = eventLoop.submit(() -> writers.stream().mapToLong(w -> w.count).min().orElse(0))
                .get();
            assertThat(delivered).isEqualTo(objects);
            assertThat(polls.get()).as("coalesced wake-ups").isLessThanOrEqualTo(objects + 200);
        }
        finally
        {
            eventLoop.shutdownNow();
        }
    }
}
