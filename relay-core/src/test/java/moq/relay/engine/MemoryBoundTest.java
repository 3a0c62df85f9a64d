package moq.relay.engine;

import moq.relay.fanout.StreamResetCode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/** Memory stays within the configured bound while a publisher sends 10^6 objects. */
class MemoryBoundTest
{
    @Test
    void aMillionObjectsStayWithinTheTrackBound()
    {
        final int segment = 64 * 1024;
        final RelayConfiguration config = RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, Integer.toString(segment),
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.TRACK_OVERFLOW_SEGMENTS_PROP_NAME, "4",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "8192"));
        final long bound = (16 + 4) * (long)segment;
        try (Relay relay = new Relay(config, 1))
        {
            final FullTrackName track = FullTrackName.of("t", "firehose");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final RecordingWriterCounting live = new RecordingWriterCounting();
            final RecordingWriterCounting stalled = new RecordingWriterCounting();
            stalled.writable = false;
            relay.openSession("live", 0).subscribe(1, track, SubscribeOptions.of(null), live, new Callbacks.Sub());
            relay.openSession("stalled", 0).subscribe(1, track, SubscribeOptions.of(null), stalled,
                new Callbacks.Sub());
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[1200]);
            long maxInUse = 0;
            final int objects = 1_000_000;
            for (int i = 0; i < objects; i++)
            {
                final int size = 100 + (i % 11) * 100;
                assertThat(up.ingest().object(0, i / 100, 0, i % 100, 128, 0, null, 0, 0, payload, 0, size)).isTrue();
                if ((i & 127) == 0)
                {
                    relay.egressLoop(0).poll();
                    maxInUse = Math.max(maxInUse, relay.store().allocatedBytes());
                }
            }
            while (relay.egressLoop(0).poll() > 0)
            {
                // drain
            }
            assertThat(live.count).isEqualTo(objects);
            assertThat(stalled.count).isZero();
            assertThat(maxInUse).isLessThanOrEqualTo(bound);
            assertThat(relay.store().allocatedBytes()).isLessThanOrEqualTo(bound);
            assertThat(up.ingest().rejected()).isZero();
        }
    }

    static final class RecordingWriterCounting extends RecordingWriter
    {
        long count;

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int publisherPriority, final int status,
            final org.agrona.DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
            final int payloadOffset, final int payloadLength)
        {
            count++;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
        {
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
        {
            resets++;
        }
    }
}
