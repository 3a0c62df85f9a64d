package moq.relay.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import moq.relay.config.RelayConfiguration;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.StreamResetCode;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.ObjectWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * Ingest of one object plus its fan-out to N subscribers, on one thread: {@link TrackIngest#object} (copy into the
 * off-heap log, ring publish) then {@link EgressLoop#poll()} (ring poll, one writer call per subscriber with a
 * zero-copy view). The writer stands in for a QUIC stream writer: it reads the view's length and first and last byte.
 * Score = ns per object; ns per added subscriber = (score(N) - score(1)) / (N - 1). Run with {@code -prof gc} for
 * {@code gc.alloc.rate.norm} (bytes allocated per object).
 * <p>
 * {@code loops} spreads the subscribers round robin over that many egress loops, all polled on the benchmark thread in
 * turn: the figure is the total work per object (every loop reads the ring and pumps its own share), so a flat
 * per-subscriber cost from 1 to 8 loops says that adding loops adds no per-object work beyond one ring read per loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class FanoutBenchmark
{
    private static final int OBJECTS_PER_GROUP = 64;

    @Param({"1", "10", "100", "1000"})
    public int subscribers;

    @Param({"100", "1024", "4096", "65536"})
    public int size;

    @Param({"1"})
    public int loops;

    private EgressLoop[] egress;

    private Relay relay;
    private EgressLoop loop;
    private TrackIngest ingest;
    private UnsafeBuffer payload;
    private long group;
    private long object;

    /** A writer that touches the view like a stream writer wrapping it would, and nothing else. */
    static final class ViewWriter implements ObjectWriter
    {
        private final Blackhole bh;

        ViewWriter(final Blackhole bh)
        {
            this.bh = bh;
        }

        @Override
        public boolean isWritable()
        {
            return true;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
        {
            bh.consume(group);
        }

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int priority, final int status,
            final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
            final int payloadLength)
        {
            bh.consume(buffer.getByte(payloadOffset));
            bh.consume(buffer.getByte(payloadOffset + payloadLength - 1));
            bh.consume(objectId);
        }

        @Override
        public void endSubgroup(final long group, final long subgroup)
        {
            bh.consume(subgroup);
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
            throw new IllegalStateException("benchmark subscriber fell behind: " + code);
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
        }
    }

    /** A publisher that is never asked for anything (the track is PUBLISHed, so no upstream SUBSCRIBE). */
    public static final Publisher NO_UPSTREAM = new Publisher()
    {
        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
        }

        @Override
        public void updateForward(final UpstreamSubscription subscription, final boolean forward)
        {
        }

        @Override
        public void unsubscribe(final UpstreamSubscription subscription)
        {
        }
    };

    /** A request callback that expects success. */
    public static final RequestCallback IGNORE = new RequestCallback()
    {
        @Override
        public void ok()
        {
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            throw new IllegalStateException(code + ": " + reason);
        }
    };

    @Setup(Level.Trial)
    public void setUp(final Blackhole bh)
    {
        relay = new Relay(RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "1m",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "32m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "16m")), loops);
        loop = relay.egressLoop(0);
        egress = new EgressLoop[loops];
        for (int i = 0; i < loops; i++)
        {
            egress[i] = relay.egressLoop(i);
        }
        final FullTrackName track = FullTrackName.of("video", "bench");
        final UpstreamSubscription up = relay.openSession("publisher", 0)
            .publish(1, track, List.of(), null, NO_UPSTREAM, IGNORE);
        ingest = up.ingest();
        for (int i = 0; i < subscribers; i++)
        {
            relay.openSession("s" + i, i % loops).subscribe(1, track, SubscribeOptions.of(null), new ViewWriter(bh),
                new SubscribeCallback()
                {
                    @Override
                    public void ok(final DownstreamSubscription s, final Location l, final List<KeyValuePair> p)
                    {
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        throw new IllegalStateException(code + ": " + reason);
                    }
                });
        }
        for (final EgressLoop l : egress)
        {
            while (l.poll() > 0)
            {
                // add the subscriptions
            }
        }
        payload = new UnsafeBuffer(new byte[size]);
        for (int i = 0; i < size; i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        relay.close();
    }

    @Benchmark
    public int ingestAndFanOut()
    {
        ingest.object(0, group, 0, object, 128, 0, null, 0, 0, payload, 0, size);
        if (++object == OBJECTS_PER_GROUP)
        {
            ingest.endSubgroup(group, 0);
            object = 0;
            group++;
        }
        if (loops == 1)
        {
            return loop.poll();
        }
        int work = 0;
        for (final EgressLoop l : egress)
        {
            work += l.poll();
        }
        return work;
    }
}
