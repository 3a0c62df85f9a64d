package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteDatagram;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.TrackInfo;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * lite-05 datagrams (single-frame groups, issue #17): a lite-05 publisher's datagram is stored as a datagram object
 * (object 0, END_OF_GROUP) and reaches a draft-18 subscriber as an OBJECT_DATAGRAM and a lite-05 subscriber as a
 * lite-05 datagram of its own subscription, payload byte for byte.
 */
class LiteDatagramTest
{
    private static final String TRACK = "audio";

    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    @Test
    void aLite05PublishersDatagramReachesMoqtAndLiteSubscribers() throws Exception
    {
        final LiteTestPeer publisher = lite.publisher("room/dg", new TrackInfo(128, true, 0, 1_000_000));
        final TrackNamespace ns = TrackNamespace.of("room", "dg");

        final LiteTestPeer subscriber = lite.peer();
        final LiteTestPeer.Control sub = subscriber.open(LiteStreamSide.SUBSCRIBE_REPLY, subscriber.opener(
            LiteStreamType.SUBSCRIBE, new Subscribe(3, "room/dg", TRACK, 10, true, 0, 0, 0)));
        RelayFixture.await(() -> sub.first(SubscribeStart.class) != null, "SUBSCRIBE_START");
        final List<ReceivedObject> d18 = new CopyOnWriteArrayList<>();
        final List<byte[]> d18Payloads = new CopyOnWriteArrayList<>();
        lite.relay.connect(Draft.DRAFT_18).subscribe(ns, Bytes.utf8(TRACK), SubscribeOptions.LATEST,
            new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    d18.add(o);
                    d18Payloads.add(o.payloadBytes());
                }
            }).get(5, TimeUnit.SECONDS);
        final long id = LiteRelayFixture.relayStream(publisher, Subscribe.class).first(Subscribe.class).id();

        final byte[] payload = new byte[300];
        new java.util.Random(5).nextBytes(payload);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32 + payload.length]);
        final int h = LiteDatagram.encodeHeader(b, 0, id, 7, 123_456);
        b.putBytes(h, payload);
        final byte[] datagram = Arrays.copyOf(b.byteArray(), h + payload.length);
        // Datagrams are unreliable: resend until both subscribers have one.
        for (int i = 0; i < 50 && (d18.isEmpty() || subscriber.datagrams.isEmpty()); i++)
        {
            publisher.sendDatagram(datagram);
            Thread.sleep(100);
        }
        assertThat(d18).as("draft 18: an OBJECT_DATAGRAM").isNotEmpty();
        assertThat(d18.get(0).datagram()).isTrue();
        assertThat(d18.get(0).groupId()).isEqualTo(7);
        assertThat(d18.get(0).objectId()).isZero();
        assertThat(d18Payloads.get(0)).isEqualTo(payload);

        assertThat(subscriber.datagrams).as("lite-05: a datagram").isNotEmpty();
        final byte[] got = subscriber.datagrams.get(0);
        final LiteDatagram d = new LiteDatagram().decode(LiteVersion.LITE_05, new UnsafeBuffer(got), 0, got.length);
        assertThat(d.subscribeId()).as("the subscriber's own Subscribe ID").isEqualTo(3);
        assertThat(d.sequence()).isEqualTo(7);
        assertThat(Arrays.copyOfRange(got, d.payloadOffset(), got.length)).isEqualTo(payload);
        assertThat(publisher.connection.channel().isActive()).isTrue();
    }
}
