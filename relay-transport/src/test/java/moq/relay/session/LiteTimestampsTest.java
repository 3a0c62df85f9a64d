package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Fetch;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lite-05 publisher's frame timestamps cross the relay byte for byte (issue #17): a lite-05 subscriber's TRACK,
 * reaching the relay before the track is live, is asked of the publisher, so the subscriber's TRACK_INFO names the
 * publisher's timescale (and priority), and its frames carry the publisher's timestamps, in the order given (here
 * one goes back); a FETCH of a cached group carries them too. MoQT subscribers on drafts 18 and 20 get them as the
 * draft-lcurley-moq-timestamp TIMESTAMP property, in their form, and draft 14 as the same Extension Header (absolute
 * Type, QUIC varints).
 */
class LiteTimestampsTest
{
    private static final String TRACK = "video";
    private static final long TIMESCALE = 90_000;

    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    private static List<byte[]> payloads(final long g)
    {
        final Random random = new Random(g * 13 + 1);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < 3; o++)
        {
            final byte[] p = new byte[1 + random.nextInt(400)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    /** Group g's timestamps: presentation order, not decode order (the second frame goes back). */
    private static List<Long> timestamps(final long g)
    {
        return List.of(TIMESCALE * g + 6000, TIMESCALE * g, TIMESCALE * g + 3000);
    }

    private static byte[] timestampProperty(final long timestamp)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[LiteTimestamps.MAX_PROPERTY_LENGTH]);
        return Arrays.copyOf(b.byteArray(), LiteTimestamps.write(b, 0, timestamp));
    }

    /** The TIMESTAMP pair as draft 14 writes an Extension Header: Type then value, each an RFC 9000 varint. */
    private static byte[] draft14TimestampHeader(final long timestamp)
    {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (final long v : new long[] {LiteTimestamps.TIMESTAMP, timestamp})
        {
            final int n = v < 1L << 6 ? 1 : v < 1L << 14 ? 2 : v < 1L << 30 ? 4 : 8;
            final long prefixed = v | (long)(Integer.numberOfTrailingZeros(n)) << (8 * n - 2);
            for (int k = n - 1; k >= 0; k--)
            {
                out.write((int)(prefixed >>> (8 * k)));
            }
        }
        return out.toByteArray();
    }

    private static final class Recorder implements SubscriptionListener
    {
        final List<ReceivedObject> objects = new CopyOnWriteArrayList<>();
        final List<byte[]> properties = new CopyOnWriteArrayList<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            if (o.status() == 0)
            {
                objects.add(o);
                properties.add(o.properties());
            }
        }
    }

    @Test
    void aLite05PublishersTimestampsReachLiteSubscribersByteForByte() throws Exception
    {
        final LiteTestPeer publisher = lite.publisher("room/ts", null);
        final TrackNamespace ns = TrackNamespace.of("room", "ts");

        // The subscriber asks TRACK first, as @moq/net does: the relay asks the publisher and passes its answer on.
        final LiteTestPeer subscriber = lite.peer();
        final LiteTestPeer.Control track = subscriber.open(LiteStreamSide.TRACK_REPLY,
            subscriber.opener(LiteStreamType.TRACK, new TrackRequest("room/ts", TRACK)));
        final LiteTestPeer.Control asked = LiteRelayFixture.relayStream(publisher, TrackRequest.class);
        assertThat(asked.first(TrackRequest.class)).isEqualTo(new TrackRequest("room/ts", TRACK));
        asked.write(new TrackInfo(200, true, 0, TIMESCALE));
        asked.fin();
        RelayFixture.await(() -> track.first(TrackInfo.class) != null, "TRACK_INFO");
        assertThat(track.first(TrackInfo.class)).as("the publisher's priority, order and timescale")
            .isEqualTo(new TrackInfo(200, true, 0, TIMESCALE));

        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "room/ts", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        final Recorder d18 = new Recorder();
        final Recorder d14 = new Recorder();
        final Recorder d20 = new Recorder();
        lite.relay.connect(Draft.DRAFT_20).subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d20)
            .get(5, TimeUnit.SECONDS);
        final MoqClient c18 = lite.relay.connect(Draft.DRAFT_18);
        final MoqClient c14 = lite.relay.connect(Draft.DRAFT_14);
        c18.subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d18).get(5, TimeUnit.SECONDS);
        c14.subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d14).get(5, TimeUnit.SECONDS);
        final LiteTestPeer.Control upstream = LiteRelayFixture.relayStream(publisher, Subscribe.class);
        upstream.write(new SubscribeStart(0));

        for (long g = 0; g < 2; g++)
        {
            publisher.writeGroup(upstream.first(Subscribe.class).id(), g, payloads(g), true, timestamps(g));
        }
        RelayFixture.await(() -> subscriber.groups.stream().filter(x -> x.ended).count() == 2, "two Group Streams");
        for (final LiteTestPeer.Group g : subscriber.groups)
        {
            assertThat(g.frames).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(payloads(g.sequence));
            assertThat(g.timestamps).as("group %d: the publisher's timestamps, byte for byte", g.sequence)
                .containsExactlyElementsOf(timestamps(g.sequence));
        }

        RelayFixture.await(() -> d18.objects.size() == 6 && d14.objects.size() == 6 && d20.objects.size() == 6,
            "six objects on each draft");
        for (int i = 0; i < 6; i++)
        {
            final ReceivedObject o = d18.objects.get(i);
            assertThat(d18.properties.get(i)).as("draft 18: the TIMESTAMP property of object %s", o)
                .isEqualTo(timestampProperty(timestamps(o.groupId()).get((int)o.objectId())));
            final ReceivedObject o20 = d20.objects.get(i);
            assertThat(d20.properties.get(i)).as("draft 20: the TIMESTAMP property of object %s", o20)
                .isEqualTo(timestampProperty(timestamps(o20.groupId()).get((int)o20.objectId())));
            final ReceivedObject o14 = d14.objects.get(i);
            assertThat(d14.properties.get(i)).as("draft 14: the TIMESTAMP Extension Header of object %s", o14)
                .isEqualTo(draft14TimestampHeader(timestamps(o14.groupId()).get((int)o14.objectId())));
        }

        final LiteTestPeer.Group fetched = subscriber.fetch(new Fetch("room/ts", TRACK, 10, 1));
        fetched.closed.get(5, TimeUnit.SECONDS);
        assertThat(fetched.error).isNull();
        assertThat(fetched.timestamps).as("a fetched group keeps them too").containsExactlyElementsOf(timestamps(1));
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }

    /**
     * No lite subscriber's TRACK reaches the relay before the track goes live (a MoQT subscriber comes first): the
     * relay asks the publisher's TRACK_INFO itself before its SUBSCRIBE, so the track's TIMESCALE is known, MoQT
     * subscribers' SUBSCRIBE_OK carries it, and a later lite-05 subscriber's TRACK_INFO and frames use the
     * publisher's timescale and timestamps (not the relay's clock).
     */
    @Test
    void aLite05PublishersTimescaleIsLearntWhenNoSubscriberAskedTrackFirst() throws Exception
    {
        final LiteTestPeer publisher = lite.publisher("room/late", new TrackInfo(200, true, 0, TIMESCALE));
        final TrackNamespace ns = TrackNamespace.of("room", "late");
        final Recorder d18 = new Recorder();
        final moq.relay.client.Subscription first = lite.relay.connect(Draft.DRAFT_18)
            .subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST, d18).get(10, TimeUnit.SECONDS);
        assertThat(first.trackProperties()).as("the draft-18 SUBSCRIBE_OK names the publisher's timescale")
            .anyMatch(p -> p.type() == LiteTimestamps.TIMESCALE && p.intValue() == TIMESCALE);
        final LiteTestPeer.Control upstream = LiteRelayFixture.relayStream(publisher, Subscribe.class);
        assertThat(publisher.relayStreams.indexOf(LiteRelayFixture.relayStream(publisher, TrackRequest.class)))
            .as("TRACK asked before the SUBSCRIBE").isLessThan(publisher.relayStreams.indexOf(upstream));
        upstream.write(new SubscribeStart(0));
        publisher.writeGroup(upstream.first(Subscribe.class).id(), 0, payloads(0), true, timestamps(0));
        RelayFixture.await(() -> d18.objects.size() == 3, "group 0 on draft 18");

        final LiteTestPeer subscriber = lite.peer();
        final LiteTestPeer.Control track = subscriber.open(LiteStreamSide.TRACK_REPLY,
            subscriber.opener(LiteStreamType.TRACK, new TrackRequest("room/late", TRACK)));
        RelayFixture.await(() -> track.first(TrackInfo.class) != null, "TRACK_INFO");
        assertThat(track.first(TrackInfo.class)).as("the publisher's priority, order and timescale")
            .isEqualTo(new TrackInfo(200, true, 0, TIMESCALE));
        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(1, "room/late", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        publisher.writeGroup(upstream.first(Subscribe.class).id(), 1, payloads(1), true, timestamps(1));
        RelayFixture.await(() -> subscriber.groups.stream().anyMatch(g -> g.sequence == 1 && g.ended), "group 1");
        for (final LiteTestPeer.Group g : subscriber.groups)
        {
            assertThat(g.timestamps).as("group %d: the publisher's timestamps", g.sequence)
                .containsExactlyElementsOf(timestamps(g.sequence));
        }
        assertThat(publisher.relayStreams.stream().filter(c -> c.first(TrackRequest.class) != null))
            .as("TRACK_INFO is immutable: asked once").hasSize(1);
    }

    /**
     * The other way: a draft-18 publisher's TIMESCALE track property and TIMESTAMP object properties reach a lite-05
     * subscriber as its TRACK_INFO timescale and its frames' timestamps, in the publisher's order.
     */
    @Test
    void aDraft18PublishersTimestampsReachALite05Subscriber() throws Exception
    {
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("live", "ts");
        moqt.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        final moq.relay.client.TrackPublisher track = moqt.track(ns, Bytes.utf8(TRACK), 100)
            .trackProperties(List.of(moq.relay.wire.KeyValuePair.ofVarint(LiteTimestamps.TIMESCALE, TIMESCALE)));

        final LiteTestPeer subscriber = lite.peer();
        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(5, "live/ts", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        final LiteTestPeer.Control info = subscriber.open(LiteStreamSide.TRACK_REPLY,
            subscriber.opener(LiteStreamType.TRACK, new TrackRequest("live/ts", TRACK)));
        RelayFixture.await(() -> info.first(TrackInfo.class) != null, "TRACK_INFO");
        assertThat(info.first(TrackInfo.class).timescale()).as("the publisher's timescale").isEqualTo(TIMESCALE);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        for (int g = 0; g < 2; g++)
        {
            final moq.relay.client.SubgroupWriter w = track.openSubgroup(g, 0, -1, true);
            for (int o = 0; o < 3; o++)
            {
                w.write(o, timestampProperty(timestamps(g).get(o)),
                    io.netty.buffer.Unpooled.wrappedBuffer(payloads(g).get(o)));
            }
            w.close();
        }
        RelayFixture.await(() -> subscriber.groups.stream().filter(x -> x.ended).count() == 2, "two Group Streams");
        for (final LiteTestPeer.Group g : subscriber.groups)
        {
            assertThat(g.frames).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(payloads(g.sequence));
            assertThat(g.timestamps).as("group %d: the draft-18 publisher's TIMESTAMPs", g.sequence)
                .containsExactlyElementsOf(timestamps(g.sequence));
        }
    }
}
