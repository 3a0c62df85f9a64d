package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.FetchWriter;
import moq.relay.fanout.ObjectWriter;
import moq.relay.fanout.PropertiesEncoding;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Bytes;
import moq.relay.wire.Location;

/**
 * The egress loop hands each writer an object's properties in the encoding the writer declares: a draft-14
 * publisher's Extension Headers converted for a draft-18/20 writer and back, on subgroup streams, datagrams and
 * FETCH; a block whose conversion exceeds {@code moq.relay.egress.properties.conversion.bytes} goes out empty and is
 * counted; the payload is the log's (not copied) either way, and the converting path allocates nothing per object.
 */
class PropertiesConversionTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "props");
    /** {0x3C: 100}, {0x04: 1} as draft 14 writes them (absolute Types, 100 a 2-byte QUIC varint). */
    private static final byte[] DRAFT14 = Bytes.fromHex("3c40640401").toByteArray();
    /** The same as drafts 18 and 20 write them: sorted, delta-coded, 100 a 1-byte leading-ones varint. */
    private static final byte[] DRAFT18 = Bytes.fromHex("04013864").toByteArray();
    /** {@link #DRAFT18} back in draft 14's form: in Type order now. */
    private static final byte[] DRAFT18_AS_14 = Bytes.fromHex("04013c4064").toByteArray();
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    /** Records the properties and payload of every object and datagram, as a writer of {@code encoding}. */
    static final class Writer implements ObjectWriter
    {
        final PropertiesEncoding encoding;
        final List<String> properties = new ArrayList<>();
        final List<Boolean> payloadInLog = new ArrayList<>();
        boolean record = true;
        long objects;

        Writer(final PropertiesEncoding encoding)
        {
            this.encoding = encoding;
        }

        @Override
        public PropertiesEncoding propertiesEncoding()
        {
            return encoding;
        }

        @Override
        public boolean isWritable()
        {
            return true;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long first, final int priority)
        {
        }

        @Override
        public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
            final int status, final DirectBuffer buffer, final int po, final int pl, final int payloadOffset,
            final int payloadLength)
        {
            throw new AssertionError("the engine calls the two-buffer form");
        }

        @Override
        public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
            final int status, final DirectBuffer properties, final int po, final int pl, final DirectBuffer payload,
            final int payloadOffset, final int payloadLength)
        {
            seen(properties, po, pl, payload);
        }

        @Override
        public void writeDatagram(final long group, final long objectId, final int priority, final int status,
            final boolean endOfGroup, final DirectBuffer properties, final int po, final int pl,
            final DirectBuffer payload, final int payloadOffset, final int payloadLength)
        {
            seen(properties, po, pl, payload);
        }

        private void seen(final DirectBuffer properties, final int po, final int pl, final DirectBuffer payload)
        {
            objects++;
            if (record)
            {
                final byte[] p = new byte[pl];
                properties.getBytes(po, p);
                this.properties.add(Bytes.wrap(p).hex());
                payloadInLog.add(payload.byteBuffer() != null && payload.byteBuffer().isDirect());
            }
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

    private static UpstreamSubscription publish(final Harness h)
    {
        return h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(), new Callbacks.Req());
    }

    private static Writer subscribe(final Harness h, final String name, final PropertiesEncoding encoding)
    {
        final Writer w = new Writer(encoding);
        h.session(name).subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
        return w;
    }

    private static void object(final UpstreamSubscription up, final long group, final long object,
        final boolean draft14, final byte[] properties)
    {
        assertThat(up.ingest().object((object == 0 ? TrackIngest.FIRST_IN_SUBGROUP : 0) |
            (draft14 ? TrackIngest.DRAFT14_PROPERTIES : 0), group, 0, object, 128, 0,
            new UnsafeBuffer(properties), 0, properties.length, PAYLOAD, 0, PAYLOAD.capacity())).isTrue();
    }

    private static String hex(final byte[] b)
    {
        return Bytes.wrap(b).hex();
    }

    @Test
    void aDraft14PublishersPropertiesAreConvertedForDraft18WritersAndLeftAsTheyAreForDraft14Ones()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h);
            final Writer d18 = subscribe(h, "d18", PropertiesEncoding.DRAFT_18);
            final Writer d14 = subscribe(h, "d14", PropertiesEncoding.DRAFT_14);
            final Writer raw = subscribe(h, "raw", PropertiesEncoding.AS_STORED);
            h.poll();
            object(up, 0, 0, true, DRAFT14);
            object(up, 0, 1, false, DRAFT18);
            assertThat(up.ingest().object(TrackIngest.DATAGRAM | TrackIngest.END_OF_GROUP |
                TrackIngest.DRAFT14_PROPERTIES, 1, 0, 0, 128, 0, new UnsafeBuffer(DRAFT14), 0, DRAFT14.length,
                PAYLOAD, 0, PAYLOAD.capacity())).isTrue();
            h.poll();
            assertThat(d18.properties).containsExactly(hex(DRAFT18), hex(DRAFT18), hex(DRAFT18));
            assertThat(d14.properties).containsExactly(hex(DRAFT14), hex(DRAFT18_AS_14), hex(DRAFT14));
            assertThat(raw.properties).containsExactly(hex(DRAFT14), hex(DRAFT18), hex(DRAFT14));
            assertThat(d18.payloadInLog).as("payload framed from the log, not copied").containsOnly(true);
            assertThat(h.relay.egressLoop(0).counters().propertiesConverted()).isEqualTo(3);
        }
    }

    @Test
    void fetchWritersGetTheirDraftsEncodingToo()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h);
            object(up, 0, 0, true, DRAFT14);
            object(up, 0, 1, false, DRAFT18);
            up.ingest().endSubgroup(0, 0);
            final List<String> seen = new ArrayList<>();
            final FetchWriter w = new FetchWriter()
            {
                @Override
                public PropertiesEncoding propertiesEncoding()
                {
                    return PropertiesEncoding.DRAFT_14;
                }

                @Override
                public boolean isWritable()
                {
                    return true;
                }

                @Override
                public void writeObject(final long group, final long subgroup, final boolean datagram,
                    final long objectId, final int priority, final int status, final DirectBuffer buffer,
                    final int po, final int pl, final int payloadOffset, final int payloadLength)
                {
                    throw new AssertionError("the engine calls the two-buffer form");
                }

                @Override
                public void writeObject(final long group, final long subgroup, final boolean datagram,
                    final long objectId, final int priority, final int status, final DirectBuffer properties,
                    final int po, final int pl, final DirectBuffer payload, final int payloadOffset,
                    final int payloadLength)
                {
                    final byte[] p = new byte[pl];
                    properties.getBytes(po, p);
                    seen.add(hex(p));
                }

                @Override
                public void unknownRange(final long group, final long object)
                {
                }

                @Override
                public void end()
                {
                    seen.add("end");
                }

                @Override
                public void reset(final StreamResetCode code)
                {
                    seen.add("reset " + code);
                }
            };
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(0, 0), new Location(0, 0)), w,
                new Callbacks.Fetch()); // the whole of group 0
            h.poll();
            assertThat(seen).containsExactly(hex(DRAFT14), hex(DRAFT18_AS_14), "end");
        }
    }

    @Test
    void aBlockPastTheConversionBudgetGoesOutEmptyAndIsCounted()
    {
        try (Harness h = new Harness(RelayConfiguration.EGRESS_PROPERTIES_CONVERSION_BYTES_PROP_NAME, "64"))
        {
            final UpstreamSubscription up = publish(h);
            final Writer d18 = subscribe(h, "d18", PropertiesEncoding.DRAFT_18);
            h.poll();
            // 40 pairs {0x3C: 1}: 80 bytes in either encoding, more than the 64-byte budget.
            object(up, 0, 0, true, Bytes.fromHex("3c01".repeat(40)).toByteArray());
            object(up, 0, 1, true, DRAFT14);
            h.poll();
            assertThat(d18.properties).containsExactly("", hex(DRAFT18));
            assertThat(d18.objects).isEqualTo(2);
            assertThat(h.relay.egressLoop(0).counters().propertiesDropped()).isEqualTo(1);
        }
    }

    /** The converting path (every object's properties converted for the writer) allocates nothing per object. */
    @Test
    void convertingAllocatesNothingPerObject()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publish(h);
            final Writer d18 = subscribe(h, "d18", PropertiesEncoding.DRAFT_18);
            d18.record = false;
            h.poll();
            final TrackIngest in = up.ingest();
            final UnsafeBuffer properties = new UnsafeBuffer(DRAFT14);
            final long[] group = {0};
            final Runnable cycle = () ->
            {
                final long g = group[0]++;
                for (int o = 0; o < 8; o++)
                {
                    in.object((o == 0 ? TrackIngest.FIRST_IN_SUBGROUP : 0) | TrackIngest.DRAFT14_PROPERTIES, g, 0, o,
                        128, 0, properties, 0, DRAFT14.length, PAYLOAD, 0, 8);
                }
                in.endSubgroup(g, 0);
                h.poll();
            };
            for (int i = 0; i < 3000; i++)
            {
                cycle.run(); // warm up (JIT)
            }
            final long objectsBefore = d18.objects;
            final long convertedBefore = h.relay.egressLoop(0).counters().propertiesConverted();
            final long before = allocatedBytes();
            for (int i = 0; i < 5000; i++)
            {
                cycle.run();
            }
            final long allocated = allocatedBytes() - before;
            final long objects = d18.objects - objectsBefore;
            assertThat(objects).isEqualTo(5000L * 8);
            assertThat(h.relay.egressLoop(0).counters().propertiesConverted() - convertedBefore).isEqualTo(objects);
            // As GroupOrderSchedulingTest: any allocation per object would be at least 16 bytes.
            assertThat((double)allocated / objects).as("bytes allocated per object (%d in total)", allocated)
                .isLessThan(0.5);
        }
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean())
            .getCurrentThreadAllocatedBytes();
    }
}
