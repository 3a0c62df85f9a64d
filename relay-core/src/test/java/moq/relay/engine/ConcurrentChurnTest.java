package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoopRunner;
import moq.relay.fanout.ObjectWriter;

/**
 * Publishers on their own threads, two egress loop threads, and subscribers joining and leaving all the time, over a
 * tiny cache that is recycled constantly: every byte any writer sees must be the object's own, in order per subgroup.
 */
class ConcurrentChurnTest
{
    static final AtomicReference<String> FAILURE = new AtomicReference<>();
    static final AtomicLong WRITES = new AtomicLong();

    static final class VerifyingWriter implements ObjectWriter
    {
        private long lastGroup = -1;
        private long lastObject = -1;
        volatile boolean slow;

        @Override
        public boolean isWritable()
        {
            return !slow || ThreadLocalRandom.current().nextInt(8) == 0;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
        {
        }

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int priority, final int status,
            final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
            final int payloadLength)
        {
            if (group == lastGroup && objectId <= lastObject)
            {
                FAILURE.compareAndSet(null, "order " + group + "/" + objectId + " after " + lastObject);
            }
            lastGroup = group;
            lastObject = objectId;
            if (payloadLength != 16 + (int)(objectId % 7) * 300)
            {
                FAILURE.compareAndSet(null, "length " + payloadLength + " for " + group + "/" + objectId);
                return;
            }
            if (buffer.getLong(payloadOffset) != group || buffer.getLong(payloadOffset + 8) != objectId)
            {
                FAILURE.compareAndSet(null, "payload of " + group + "/" + objectId + " overwritten");
            }
            for (int i = 16; i < payloadLength; i++)
            {
                if (buffer.getByte(payloadOffset + i) != (byte)(group + objectId + i))
                {
                    FAILURE.compareAndSet(null, "byte " + i + " of " + group + "/" + objectId + " overwritten");
                    return;
                }
            }
            WRITES.incrementAndGet();
        }

        @Override
        public void endSubgroup(final long group, final long subgroup)
        {
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
        }
    }

    @Test
    void churnOverATinyRecycledCacheNeverShowsForeignBytes() throws Exception
    {
        final RelayConfiguration config = RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "16k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "96k",
            RelayConfiguration.TRACK_OVERFLOW_SEGMENTS_PROP_NAME, "2",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "48k",
            RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2",
            RelayConfiguration.RING_SIZE_PROP_NAME, "1024"));
        final AtomicBoolean running = new AtomicBoolean(true);
        try (Relay relay = new Relay(config, 2);
            EgressLoopRunner r0 = new EgressLoopRunner(relay.egressLoop(0), new YieldingIdleStrategy());
            EgressLoopRunner r1 = new EgressLoopRunner(relay.egressLoop(1), new YieldingIdleStrategy()))
        {
            final List<FullTrackName> tracks = new ArrayList<>();
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                final FullTrackName track = FullTrackName.of("t" + p, "churn");
                tracks.add(track);
                final UpstreamSubscription up = relay.openSession("pub" + p, 0).publish(1, track, List.of(), null,
                    new FakePublisher(), new Callbacks.Req());
                final Thread t = new Thread(() ->
                {
                    final UnsafeBuffer buf = new UnsafeBuffer(new byte[2048]);
                    long g = 0;
                    while (running.get())
                    {
                        for (long o = 0; o < 20 && running.get(); o++)
                        {
                            final int len = 16 + (int)(o % 7) * 300;
                            buf.putLong(0, g);
                            buf.putLong(8, o);
                            for (int i = 16; i < len; i++)
                            {
                                buf.putByte(i, (byte)(g + o + i));
                            }
                            up.ingest().object(0, g, 0, o, 128, 0, null, 0, 0, buf, 0, len);
                        }
                        up.ingest().endSubgroup(g, 0);
                        g++;
                        if ((g & 15) == 0)
                        {
                            Thread.yield();
                        }
                    }
                }, "publisher-" + p);
                threads.add(t);
            }
            final Thread churn = new Thread(() ->
            {
                final List<Session> sessions = new ArrayList<>();
                long id = 1;
                while (running.get())
                {
                    final ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    if (sessions.size() < 40 || rnd.nextBoolean())
                    {
                        final Session s = relay.openSession("sub", rnd.nextInt(2));
                        final VerifyingWriter w = new VerifyingWriter();
                        w.slow = rnd.nextInt(4) == 0;
                        final SubscriptionFilter f = rnd.nextBoolean() ? SubscriptionFilter.largestObject() :
                            SubscriptionFilter.absoluteStart(moq.relay.wire.Location.ZERO);
                        s.subscribe(id++, tracks.get(rnd.nextInt(tracks.size())), SubscribeOptions.of(f), w,
                            new Callbacks.Sub());
                        if (rnd.nextInt(3) == 0)
                        {
                            s.fetch(id++, FetchRequest.standalone(tracks.get(rnd.nextInt(tracks.size())),
                                moq.relay.wire.Location.ZERO, new moq.relay.wire.Location(1L << 40, 0)),
                                new RecordingFetchWriter(), new Callbacks.Fetch());
                        }
                        sessions.add(s);
                    }
                    else
                    {
                        sessions.remove(rnd.nextInt(sessions.size())).close();
                    }
                    try
                    {
                        Thread.sleep(0, 200_000);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }, "churn");
            threads.add(churn);
            threads.forEach(Thread::start);
            // At least 3 s of churn, and until 10,000 objects were verified (a loaded machine gets there later: the
            // property is about what the subscribers see, not about speed).
            final long start = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(3));
            while (WRITES.get() <= 10_000 && FAILURE.get() == null &&
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120))
            {
                Thread.sleep(100);
            }
            running.set(false);
            for (final Thread t : threads)
            {
                t.join(10_000);
            }
            assertThat(FAILURE.get()).isNull();
            assertThat(WRITES.get()).isGreaterThan(10_000);
            // Per track: cache + overflow segments, plus the one it just recycled and is about to reuse (6 + 2 + 1
            // here). The pool allocates only when no segment is pooled, so it never holds more than the tracks did.
            final long trackBound = (long)(config.trackCacheSegments() + config.trackOverflowSegments() + 1) *
                config.segmentBytes();
            assertThat(relay.store().allocatedBytes()).isLessThanOrEqualTo(tracks.size() * trackBound);
        }
    }
}
