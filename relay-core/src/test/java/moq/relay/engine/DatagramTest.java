package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.wire.Location;

/** Objects ingested as OBJECT_DATAGRAMs: kept flagged in the log, delivered as datagrams, no subgroup stream. */
class DatagramTest
{
    private static final FullTrackName TRACK = FullTrackName.of("d", "live");

    @Test
    void datagramObjectsReachEverySubscriberAsDatagramsWithoutStreams()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter[] ws = new RecordingWriter[3];
            for (int i = 0; i < ws.length; i++)
            {
                ws[i] = new RecordingWriter();
                h.session("s" + i).subscribe(1, TRACK, SubscribeOptions.of(null), ws[i], new Callbacks.Sub());
            }
            h.poll();
            final UnsafeBuffer props = new UnsafeBuffer(new byte[] {0x02, 0x05});
            final UnsafeBuffer payload = new UnsafeBuffer(Harness.payload(0, 0, 100));
            assertThat(up.ingest().object(TrackIngest.DATAGRAM, 0, 0, 0, 7, 0, props, 0, 2, payload, 0, 100)).isTrue();
            assertThat(up.ingest().object(TrackIngest.DATAGRAM | TrackIngest.END_OF_GROUP, 0, 1, 1, 9, 0, null, 0, 0, payload, 10, 20)).isTrue();
            assertThat(up.ingest().object(TrackIngest.DATAGRAM, 1, 0, 0, 9, 0x4, null, 0, 0, null, 0, 0)).isTrue(); // End of Track
            h.poll();
            for (final RecordingWriter w : ws)
            {
                assertThat(w.calls).containsExactly("datagram 0/0", "datagram 0/1 eog", "datagram 1/0");
                assertThat(w.opens).isZero();
                assertThat(w.objects).isEmpty();
                final RecordingWriter.Obj first = w.datagrams.get(0);
                assertThat(first.priority()).isEqualTo(7);
                assertThat(first.properties()).containsExactly(0x02, 0x05);
                assertThat(first.payload()).isEqualTo(Harness.payload(0, 0, 100));
                assertThat(w.datagrams.get(1).payload()).hasSize(20);
                assertThat(w.datagrams.get(2).status()).isEqualTo(0x4);
            }
        }
    }

    @Test
    void datagramsInterleaveWithStreamsOfTheSameTrackAndStayOffThem()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter w = new RecordingWriter();
            h.session("s").subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            h.poll();
            h.send(up.ingest(), 0, 0, 0, 10);
            up.ingest().object(TrackIngest.DATAGRAM, 0, 1, 1, 128, 0, null, 0, 0, new UnsafeBuffer(new byte[3]), 0, 3);
            h.send(up.ingest(), 0, 0, 2, 10);
            up.ingest().endSubgroup(0, 0);
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "datagram 0/1", "object 0/0/2",
                "end 0/0");
        }
    }

    @Test
    void datagramsWaitInTheBacklogWhileTheWriterIsNotWritable()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter w = new RecordingWriter();
            w.writable = false;
            h.session("s").subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            h.poll();
            for (int o = 0; o < 3; o++)
            {
                up.ingest().object(TrackIngest.DATAGRAM, 4, o, o, 128, 0, null, 0, 0, new UnsafeBuffer(new byte[5]), 0, 5);
            }
            h.poll();
            assertThat(w.calls).isEmpty();
            w.writable = true;
            h.relay.egressLoop(0).signal();
            h.poll();
            assertThat(w.calls).containsExactly("datagram 4/0", "datagram 4/1", "datagram 4/2");
        }
    }

    @Test
    void aFetchIsServedCachedDatagramObjectsFlaggedAsDatagrams()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final UnsafeBuffer payload = new UnsafeBuffer(Harness.payload(0, 0, 40));
            up.ingest().object(TrackIngest.DATAGRAM, 0, 0, 0, 128, 0, null, 0, 0, payload, 0, 40);
            up.ingest().object(TrackIngest.DATAGRAM, 0, 1, 1, 128, 0, null, 0, 0, payload, 0, 40);
            h.send(up.ingest(), 0, 0, 2, 10);
            final RecordingFetchWriter fw = new RecordingFetchWriter();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(0, 0), new Location(0, 3)), fw,
                new Callbacks.Fetch());
            h.poll();
            assertThat(fw.calls).containsExactly("0/0", "0/1", "0/2");
            assertThat(fw.datagrams).as("the forwarding preference of each object").containsExactly(true, true, false);
            assertThat(fw.payloads.get(0)).isEqualTo(Harness.payload(0, 0, 40));
        }
    }
}
