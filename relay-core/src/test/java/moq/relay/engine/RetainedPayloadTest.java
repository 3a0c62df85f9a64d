package moq.relay.engine;

import moq.relay.fanout.StreamResetCode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/** A zero-copy writer keeps views beyond the call: their memory is not reused until it releases or is reset. */
class RetainedPayloadTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "zero-copy");

    /** Keeps every view it is given and checks, on each call, that none of them changed. */
    static final class RetainingWriter extends RecordingWriter
    {
        record View(DirectBuffer buffer, int offset, byte[] expected)
        {
        }

        final List<View> retained = new ArrayList<>();
        int corrupted;
        long written;

        void verify()
        {
            for (final View v : retained)
            {
                for (int i = 0; i < v.expected.length; i++)
                {
                    if (v.buffer.getByte(v.offset + i) != v.expected[i])
                    {
                        corrupted++;
                        break;
                    }
                }
            }
        }

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int priority, final int status,
            final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
            final int payloadLength)
        {
            verify();
            final byte[] copy = new byte[payloadLength];
            buffer.getBytes(payloadOffset, copy);
            retained.add(new View(buffer, payloadOffset, copy));
            written++;
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
            super.resetSubgroup(group, subgroup, code);
            verify();
            retained.clear(); // a reset stream drops its queued views
        }

        void releaseAll(final DownstreamSubscription s)
        {
            verify();
            retained.clear();
            s.release();
        }
    }

    private static Harness harness()
    {
        return new Harness(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "16k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "128k",
            RelayConfiguration.TRACK_OVERFLOW_SEGMENTS_PROP_NAME, "2",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "64k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "1024");
    }

    @Test
    void retainedViewsAreNeverOverwrittenAndAWriterThatNeverReleasesIsResetTooFarBehind()
    {
        try (Harness h = harness())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RetainingWriter w = new RetainingWriter();
            final SubscribeOptions retaining = new SubscribeOptions(null, true, 128, GroupOrder.PUBLISHER, true);
            h.session("s").subscribe(1, TRACK, retaining, w, new Callbacks.Sub());
            h.poll();
            for (int i = 0; i < 2000; i++)
            {
                assertThat(h.send(up.ingest(), i / 50, 0, i % 50, 700)).isTrue();
                h.poll();
            }
            assertThat(w.corrupted).isZero();
            assertThat(w.calls).contains("reset 0/0 TOO_FAR_BEHIND");
            assertThat(h.relay.store().allocatedBytes()).isLessThanOrEqualTo(10 * 16 * 1024);
        }
    }

    @Test
    void aWriterThatReleasesKeepsUpWithoutResets()
    {
        try (Harness h = harness())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RetainingWriter w = new RetainingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("s").subscribe(1, TRACK, new SubscribeOptions(null, true, 128, GroupOrder.PUBLISHER, true), w,
                cb);
            h.poll();
            for (int i = 0; i < 5000; i++)
            {
                assertThat(h.send(up.ingest(), i / 50, 0, i % 50, 700)).isTrue();
                if (i % 50 == 49)
                {
                    up.ingest().endSubgroup(i / 50, 0);
                }
                h.poll();
                if (i % 20 == 19)
                {
                    w.releaseAll(cb.subscription); // e.g. the stream's writes completed
                }
            }
            assertThat(w.corrupted).isZero();
            assertThat(w.calls.stream().filter(c -> c.startsWith("reset")).findFirst()).isEmpty();
            assertThat(w.resets).isZero();
            assertThat(w.written).isEqualTo(5000);
        }
    }
}
