package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoopRunner;
import moq.relay.fanout.ObjectWriter;

/** One publisher to 1,000 subscribers on two egress loop threads: every object, in order, exact bytes. */
class FanOutTest
{
    /** Checks order and bytes on the fly (no copies kept). */
    static final class CheckingWriter implements ObjectWriter
    {
        final int size;
        long expectedGroup;
        long expectedObject;
        volatile long received;
        volatile String failure;

        CheckingWriter(final int size)
        {
            this.size = size;
        }

        @Override
        public boolean isWritable()
        {
            return true;
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
            if (failure != null)
            {
                return;
            }
            if (group != expectedGroup || objectId != expectedObject)
            {
                failure = "expected " + expectedGroup + "/" + expectedObject + " got " + group + "/" + objectId;
                return;
            }
            if (payloadLength != size)
            {
                failure = "length " + payloadLength;
                return;
            }
            for (int i = 0; i < payloadLength; i++)
            {
                if (buffer.getByte(payloadOffset + i) != (byte)(group * 31 + objectId * 7 + i))
                {
                    failure = "byte " + i + " of " + group + "/" + objectId;
                    return;
                }
            }
            expectedObject++;
            if (expectedObject == OBJECTS_PER_GROUP)
            {
                expectedObject = 0;
                expectedGroup++;
            }
            received++;
        }

        @Override
        public void endSubgroup(final long group, final long subgroup)
        {
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
            failure = "reset " + code;
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
        }
    }

    static final int OBJECTS_PER_GROUP = 50;

    @Test
    void onePublisherToAThousandSubscribersDeliversEveryObjectInOrderWithExactBytes() throws Exception
    {
        final int subscribers = 1000;
        final int groups = 20;
        final int size = 1000;
        final RelayConfiguration config = RelayConfiguration.from(java.util.Map.of(
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "16m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "8m"));
        try (Relay relay = new Relay(config, 2))
        {
            final List<EgressLoopRunner> runners = new ArrayList<>();
            final FullTrackName track = FullTrackName.of("t", "live");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final List<CheckingWriter> writers = new ArrayList<>();
            for (int i = 0; i < subscribers; i++)
            {
                final CheckingWriter w = new CheckingWriter(size);
                writers.add(w);
                final Callbacks.Sub cb = new Callbacks.Sub();
                relay.openSession("s" + i, i % 2).subscribe(1, track, SubscribeOptions.of(null), w, cb);
                assertThat(cb.okCalled).isTrue();
            }
            runners.add(new EgressLoopRunner(relay.egressLoop(0), new YieldingIdleStrategy()));
            runners.add(new EgressLoopRunner(relay.egressLoop(1), new YieldingIdleStrategy()));
            try
            {
                final UnsafeBuffer buf = new UnsafeBuffer(new byte[size]);
                for (int g = 0; g < groups; g++)
                {
                    for (int o = 0; o < OBJECTS_PER_GROUP; o++)
                    {
                        for (int i = 0; i < size; i++)
                        {
                            buf.putByte(i, (byte)(g * 31 + o * 7 + i));
                        }
                        assertThat(up.ingest().object(0, g, 0, o, 128, 0, null, 0, 0, buf, 0, size)).isTrue();
                    }
                    up.ingest().endSubgroup(g, 0);
                }
                final long total = (long)groups * OBJECTS_PER_GROUP;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !allReceived(writers, total))
                {
                    Thread.sleep(10);
                }
            }
            finally
            {
                runners.forEach(EgressLoopRunner::close);
            }
            for (final CheckingWriter w : writers)
            {
                assertThat(w.failure).isNull();
                assertThat(w.received).isEqualTo((long)groups * OBJECTS_PER_GROUP);
            }
        }
    }

    private static boolean allReceived(final List<CheckingWriter> writers, final long total)
    {
        for (final CheckingWriter w : writers)
        {
            if (w.received < total && w.failure == null)
            {
                return false;
            }
        }
        return true;
    }
}
