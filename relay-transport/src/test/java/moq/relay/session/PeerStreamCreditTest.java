package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.quic.ReceiveOnlyStreamClose;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19 (many small streams): the relay closes each publisher stream at its FIN without netty's refused FIN
 * ({@link ReceiveOnlyStreamClose}), and a closed stream still gives the publisher its stream credit back and leaves
 * nothing behind. With the relay's initial limit at 16 unidirectional streams, a publisher sends 2,000 one-object
 * groups, each its own stream, one after another (a call's audio shape): every group arrives only if the relay's
 * MAX_STREAMS keeps following the closed streams; afterwards no stream channel and no ingest handler of them is alive.
 * On a draft-18 session (the subgroup ingest's close) and a moq-lite one (the Group Stream reader's close).
 */
class PeerStreamCreditTest
{
    private static final int STREAM_LIMIT = 16;
    private static final int GROUPS = 2_000;
    /** Groups the publisher sends ahead of what arrived: below the limit, so only given-back credit lets it go on. */
    private static final int IN_FLIGHT = 8;
    private static final Map<String, String> SETTINGS = Map.of(
        RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_UNI_PROP_NAME, Integer.toString(STREAM_LIMIT));

    @TempDir
    static Path certDir;

    @Test
    @Timeout(180)
    void aDraft18PublishersClosedStreamsGiveTheirCreditBack() throws Exception
    {
        assertThat(ReceiveOnlyStreamClose.supported()).as("netty's finSent field found").isTrue();
        final TrackNamespace ns = TrackNamespace.of("audio", "d18");
        final Bytes name = Bytes.utf8("audio");
        try (RelayFixture relay = new RelayFixture(certDir, SETTINGS))
        {
            final MoqClient publisher = relay.connect(Draft.DRAFT_18);
            publisher.publishNamespace(ns).get(10, TimeUnit.SECONDS);
            final TrackPublisher track = publisher.track(ns, name, 100);
            final Set<Long> arrived = ConcurrentHashMap.newKeySet();
            relay.connect(Draft.DRAFT_18).subscribe(ns, name, SubscribeOptions.LATEST, new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    if (o.status() == ObjectStatus.NORMAL)
                    {
                        arrived.add(o.groupId());
                    }
                }
            }).get(10, TimeUnit.SECONDS);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);

            sendInSequence(arrived, g ->
            {
                final SubgroupWriter w = track.openSubgroup(g, 0);
                w.write(0, Unpooled.wrappedBuffer(new byte[] {(byte)g}));
                w.endGroup(1);
            });
            assertNothingLeft("moq.relay.session.ingest.SubgroupIngestHandler");
        }
    }

    @Test
    @Timeout(180)
    void aMoqLitePublishersClosedStreamsGiveTheirCreditBack() throws Exception
    {
        try (RelayFixture relay = new RelayFixture(certDir, SETTINGS);
             LiteClient pub = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(),
                 LiteVersion.LITE_04, ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
             LiteClient sub = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(),
                 LiteVersion.LITE_05, ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS))
        {
            final LiteTrackWriter track = pub.publish("call/lite", "audio", 128);
            RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("call", "lite")),
                "the relay learned of the broadcast");
            final Set<Long> arrived = ConcurrentHashMap.newKeySet();
            sub.subscribe("call/lite", "audio", 128, (group, index, payload) -> arrived.add(group))
                .get(10, TimeUnit.SECONDS);
            track.firstSubscriber().get(10, TimeUnit.SECONDS);

            sendInSequence(arrived, g ->
            {
                track.frame(g, Unpooled.wrappedBuffer(new byte[] {(byte)g}));
                track.endGroup(g);
            });
            assertNothingLeft("moq.relay.session.lite.LiteGroupIngest");
        }
    }

    /** Sends {@link #GROUPS} one-object groups, at most {@link #IN_FLIGHT} ahead of those arrived; all must arrive. */
    private static void sendInSequence(final Set<Long> arrived, final LongConsumer sendGroup) throws Exception
    {
        for (long g = 0; g < GROUPS; g++)
        {
            final long before = g - IN_FLIGHT;
            RelayFixture.await(() -> before < 0 || arrived.contains(before), () -> "group " + before + " arrived (" +
                arrived.size() + " of the " + (before + 1) + " sent before it did): credit given back");
            sendGroup.accept(g);
        }
        RelayFixture.await(() -> arrived.size() == GROUPS, () -> arrived.size() + " of " + GROUPS +
            " one-object groups arrived through a window of " + STREAM_LIMIT + " streams");
    }

    /** The ended streams' relay handlers and netty stream channels (relay's and clients') are gone. */
    private static void assertNothingLeft(final String ingestHandler) throws Exception
    {
        Thread.sleep(200); // the last streams' closes
        assertThat(LiveInstances.of(ingestHandler)).as("relay ingest handlers alive after %d ended streams", GROUPS)
            .isLessThan(20);
        assertThat(LiveInstances.of("io.netty.handler.codec.quic.QuicheQuicStreamChannel"))
            .as("netty stream channels alive (relay and clients) after %d ended streams each way", GROUPS)
            .isLessThan(100);
    }
}
