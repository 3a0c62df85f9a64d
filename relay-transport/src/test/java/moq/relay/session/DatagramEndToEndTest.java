package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectDatagramEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** OBJECT_DATAGRAMs from a real publisher through a real relay on loopback to real subscribers, per draft. */
class DatagramEndToEndTest
{
    static final TrackNamespace NS = TrackNamespace.of("live", "dg");
    static final Bytes TRACK = Bytes.utf8("audio");
    static final byte[] PROPERTIES = {0x3C, 0x01};
    static final int OBJECTS = 20;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    /** Copies of what one subscriber received. */
    static final class Received implements SubscriptionListener
    {
        final List<ReceivedObject> objects = new CopyOnWriteArrayList<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.add(new ReceivedObject(o.groupId(), o.subgroupId(), o.objectId(), o.status(),
                o.publisherPriority(), o.properties(), Unpooled.wrappedBuffer(o.payloadBytes()), o.datagram()));
        }
    }

    private List<Received> subscribe(final Draft draft, final int subscribers) throws Exception
    {
        final List<CompletableFuture<MoqClient>> connecting = new ArrayList<>();
        for (int i = 0; i < subscribers; i++)
        {
            connecting.add(CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return relay.connect(draft);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            }));
        }
        final List<Received> received = new ArrayList<>();
        for (final CompletableFuture<MoqClient> c : connecting)
        {
            final Received r = new Received();
            received.add(r);
            c.get(20, TimeUnit.SECONDS).subscribe(NS, TRACK, SubscribeOptions.LATEST, r).get(10, TimeUnit.SECONDS);
        }
        return received;
    }

    private static List<byte[]> payloads(final long seed)
    {
        final Random random = new Random(seed);
        final List<byte[]> out = new ArrayList<>();
        for (int o = 0; o < OBJECTS; o++)
        {
            final byte[] b = new byte[1 + random.nextInt(1000)];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    /** Group 7: objects 0..19 (object 0 with properties, the last with END_OF_GROUP); then End of Track 8/0. */
    private static void publish(final TrackPublisher track, final List<byte[]> payloads) throws InterruptedException
    {
        for (int o = 0; o < payloads.size(); o++)
        {
            track.sendDatagram(7, o, o == 3 ? 9 : -1, o == 0 ? PROPERTIES : null, o == payloads.size() - 1,
                Unpooled.wrappedBuffer(payloads.get(o)));
            Thread.sleep(2); // datagrams are unreliable: stay far below any queue bound
        }
        track.sendStatusDatagram(8, 0, ObjectStatus.END_OF_TRACK);
    }

    private static void assertReceived(final Received r, final List<byte[]> payloads) throws InterruptedException
    {
        RelayFixture.await(() -> r.objects.size() >= OBJECTS + 1, () -> r.objects.size() + " of " + (OBJECTS + 1));
        final List<ReceivedObject> normal = new ArrayList<>();
        ReceivedObject status = null;
        for (final ReceivedObject o : r.objects)
        {
            assertThat(o.datagram()).as("arrived as a datagram").isTrue();
            if (o.status() == ObjectStatus.NORMAL)
            {
                normal.add(o);
            }
            else
            {
                status = o;
            }
        }
        normal.sort((a, b) -> Long.compare(a.objectId(), b.objectId()));
        assertThat(normal).hasSize(OBJECTS);
        for (int o = 0; o < OBJECTS; o++)
        {
            final ReceivedObject got = normal.get(o);
            assertThat(got.groupId()).isEqualTo(7);
            assertThat(got.objectId()).isEqualTo(o);
            assertThat(got.payloadBytes()).as("payload of 7/%d", o).isEqualTo(payloads.get(o));
            assertThat(got.publisherPriority()).isEqualTo(o == 3 ? 9 : 100);
            if (o == 0)
            {
                assertThat(got.properties()).containsExactly(PROPERTIES);
            }
            else
            {
                assertThat(got.properties()).isEmpty();
            }
        }
        assertThat(status).isNotNull();
        assertThat(status.groupId()).isEqualTo(8);
        assertThat(status.objectId()).isEqualTo(0);
        assertThat(status.status()).isEqualTo(ObjectStatus.END_OF_TRACK);
    }

    @ParameterizedTest(name = "{0} publisher to {2} {1} subscribers")
    @CsvSource({"DRAFT_18, DRAFT_18, 1", "DRAFT_18, DRAFT_18, 10", "DRAFT_14, DRAFT_14, 1", "DRAFT_14, DRAFT_14, 10",
        "DRAFT_14, DRAFT_18, 1", "DRAFT_18, DRAFT_14, 1", "DRAFT_20, DRAFT_20, 10", "DRAFT_20, DRAFT_18, 1",
        "DRAFT_18, DRAFT_20, 1", "DRAFT_20, DRAFT_14, 1", "DRAFT_14, DRAFT_20, 1"})
    void datagramsReachEverySubscriberByteExactWithIdsAndProperties(final Draft publisherDraft,
        final Draft subscriberDraft, final int subscribers) throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final List<Received> received = subscribe(subscriberDraft, subscribers);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<byte[]> payloads = payloads(subscribers * 31L + publisherDraft.ordinal());
        publish(track, payloads);
        for (final Received r : received)
        {
            assertReceived(r, payloads);
        }
        assertThat(publisher.closed()).as("the publisher's session stays open").isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void malformedDatagramClosesOnlyTheOffendingSession(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received r = new Received();
        final MoqClient subscriber = relay.connect(draft);
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, r).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final MoqClient bystander = relay.connect(draft);

        // An invalid type in both drafts (0x10 is outside 0b00X0XXXX and outside draft-14's 0x00-0x07, 0x20-0x21).
        bystander.sendRawDatagram(Unpooled.wrappedBuffer(new byte[] {0x10, 0x00, 0x00, 0x00, 0x05, 0x01}));
        final SessionClose close = bystander.closed().get(5, TimeUnit.SECONDS);
        assertThat(close.code()).isEqualTo(SessionError.PROTOCOL_VIOLATION.code());

        // A truncated datagram (type 0x00 with only an alias) closes its sender's session too...
        final MoqClient second = relay.connect(draft);
        second.sendRawDatagram(Unpooled.wrappedBuffer(new byte[] {0x00, 0x01}));
        assertThat(second.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(SessionError.PROTOCOL_VIOLATION.code());

        // ...and nobody else: the track still flows.
        track.sendDatagram(1, 0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        RelayFixture.await(() -> r.objects.size() == 1, "the datagram after the violations");
        assertThat(r.objects.get(0).payloadBytes()).containsExactly(1, 2, 3);
        assertThat(publisher.closed()).isNotDone();
        assertThat(subscriber.closed()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void datagramForAnUnknownTrackAliasIsDropped(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received r = new Received();
        relay.connect(draft).subscribe(NS, TRACK, SubscribeOptions.LATEST, r).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        final int n = ObjectDatagramEncoder.write(draft, b, 0, 4242, 0, 0, 10, false, null, 0, 0,
            new UnsafeBuffer(new byte[] {9, 9}), 0, 2);
        publisher.sendRawDatagram(Unpooled.wrappedBuffer(b.byteArray(), 0, n));
        Thread.sleep(100);
        track.sendDatagram(2, 5, Unpooled.wrappedBuffer(new byte[] {4, 5}));
        RelayFixture.await(() -> r.objects.size() >= 1, "the datagram of the known alias");
        Thread.sleep(100);
        assertThat(r.objects).hasSize(1);
        assertThat(r.objects.get(0).groupId()).isEqualTo(2);
        assertThat(r.objects.get(0).objectId()).isEqualTo(5);
        assertThat(publisher.closed()).as("an unknown alias is no error").isNotDone();
    }
}
