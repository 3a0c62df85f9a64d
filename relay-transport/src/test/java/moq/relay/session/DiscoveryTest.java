package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.SubscribeTracks;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.PublishedNamespace;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Namespace;
import moq.relay.wire.d18.NamespaceDone;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SubscribeNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery requests from raw peers: draft-18 SUBSCRIBE_NAMESPACE (REQUEST_OK, NAMESPACE, NAMESPACE_DONE),
 * SUBSCRIBE_TRACKS (PUBLISH offers), TRACK_STATUS of both drafts.
 */
class DiscoveryTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    @Test
    void namespaceSubscriberSeesAnnouncementsAndWithdrawals() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            final RecordedMessages messages = new RecordedMessages(Draft18ControlCodec.INSTANCE);
            final QuicStreamChannel request = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, messages)
                .get(5, TimeUnit.SECONDS);
            request.writeAndFlush(ControlBytes.draft18(new SubscribeNamespace(0, TrackNamespace.of("live"),
                MessageParameters.EMPTY)));
            RelayFixture.await(() -> messages.count() == 1, "REQUEST_OK");
            assertThat(messages.decoded().get(0)).isInstanceOf(RequestOk.class);

            final MoqClient publisher = relay.connect(Draft.DRAFT_18);
            final PublishedNamespace ns = publisher.publishNamespace(TrackNamespace.of("live", "room"))
                .get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> messages.count() == 2, "NAMESPACE");
            assertThat(messages.decoded().get(1)).isEqualTo(new Namespace(TrackNamespace.of("room")));

            ns.withdraw();
            RelayFixture.await(() -> messages.count() == 3, "NAMESPACE_DONE");
            assertThat(messages.decoded().get(2)).isEqualTo(new NamespaceDone(TrackNamespace.of("room")));
            assertThat(c.peerClose()).isNotDone();
        }
    }

    @Test
    void trackStatusReportsTheLargestLocation() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(RelayEndToEndTest.NS).get(5, TimeUnit.SECONDS);
        final moq.relay.client.TrackPublisher track = publisher.track(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK,
            100);
        final RelayEndToEndTest.Received live = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_18).subscribe(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK,
            moq.relay.client.SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(2, 4, 1), 0);
        RelayFixture.await(() -> live.normalObjects() == 8, "8 objects");

        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            final RecordedMessages messages = new RecordedMessages(Draft18ControlCodec.INSTANCE);
            c.channel().createStream(QuicStreamType.BIDIRECTIONAL, messages).get(5, TimeUnit.SECONDS)
                .writeAndFlush(ControlBytes.draft18(new moq.relay.wire.d18.TrackStatus(0, RelayEndToEndTest.NS,
                    RelayEndToEndTest.TRACK, MessageParameters.EMPTY)));
            RelayFixture.await(() -> messages.count() == 1, "REQUEST_OK");
            final RequestOk ok = (RequestOk)messages.decoded().get(0);
            // group 1's last object is its End of Group marker, object 4
            assertThat(ok.largestObject()).contains(new moq.relay.wire.Location(1, 4));
        }
    }

    @Test
    void draft14TrackStatusReportsTheLargestLocation() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_14);
        publisher.publishNamespace(RelayEndToEndTest.NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK, 100);
        final RelayEndToEndTest.Received live = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_14).subscribe(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK,
            moq.relay.client.SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 3, 2), 0);
        RelayFixture.await(() -> live.normalObjects() == 3, "3 objects");

        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final RecordedMessages control = new RecordedMessages(
                moq.relay.wire.d14.Draft14ControlCodec.INSTANCE);
            final QuicStreamChannel stream = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                .get(5, TimeUnit.SECONDS);
            stream.writeAndFlush(ControlBytes.draft14(new moq.relay.wire.d14.ClientSetup(List.of(Draft.DRAFT_14.version()),
                moq.relay.wire.d14.SetupParameters.EMPTY)));
            stream.writeAndFlush(ControlBytes.draft14(new moq.relay.wire.d14.TrackStatus(0, RelayEndToEndTest.NS,
                RelayEndToEndTest.TRACK, 128, moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
                moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(moq.relay.wire.d14.TrackStatusOk.class) != null,
                "TRACK_STATUS_OK");
            assertThat(control.first(moq.relay.wire.d14.TrackStatusOk.class).largestLocation())
                .isEqualTo(new moq.relay.wire.Location(0, 3));
        }
    }

    @Test
    void subscribeTracksOffersPublishedTracksAndDeliversThemAfterPublishOk() throws Exception
    {
        final List<RecordedMessages> offers = new CopyOnWriteArrayList<>();
        final List<ByteArrayOutputStream> dataStreams = new CopyOnWriteArrayList<>();
        final ChannelInitializer<QuicStreamChannel> serverStreams = new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final QuicStreamChannel stream)
            {
                if (stream.type() == QuicStreamType.BIDIRECTIONAL)
                {
                    final RecordedMessages offer = new RecordedMessages(Draft18ControlCodec.INSTANCE);
                    offers.add(offer);
                    stream.pipeline().addLast(offer);
                    return;
                }
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                dataStreams.add(bytes);
                stream.pipeline().addLast(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final io.netty.channel.ChannelHandlerContext ctx, final Object msg)
                    {
                        final ByteBuf b = (ByteBuf)msg;
                        synchronized (bytes)
                        {
                            final byte[] a = new byte[b.readableBytes()];
                            b.readBytes(a);
                            bytes.writeBytes(a);
                        }
                        b.release();
                    }
                });
            }
        };
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), true, serverStreams);
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            final RecordedMessages request = new RecordedMessages(Draft18ControlCodec.INSTANCE);
            c.channel().createStream(QuicStreamType.BIDIRECTIONAL, request).get(5, TimeUnit.SECONDS)
                .writeAndFlush(ControlBytes.draft18(new SubscribeTracks(0, TrackNamespace.of("live"), MessageParameters.EMPTY)));
            RelayFixture.await(() -> request.count() == 1, "REQUEST_OK");
            assertThat(request.decoded().get(0)).isInstanceOf(RequestOk.class);

            final MoqClient publisher = relay.connect(Draft.DRAFT_18);
            final TrackPublisher track = publisher.track(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK, 100);
            track.publish().get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> !offers.isEmpty() && offers.get(0).count() == 1, "the relay's PUBLISH");
            final Publish offer = offers.get(0).first(Publish.class);
            assertThat(offer.namespace()).isEqualTo(RelayEndToEndTest.NS);
            assertThat(offer.trackName()).isEqualTo(RelayEndToEndTest.TRACK);

            offers.get(0).channel().writeAndFlush(ControlBytes.draft18(new RequestOk(MessageParameters.of(new Parameter.Forward(true)))));
            Thread.sleep(200); // the relay's REQUEST_UPDATE raises the publisher's Forward State
            final byte[] payload = "offered track object".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            final moq.relay.client.SubgroupWriter group = track.openSubgroup(0, 0);
            group.write(0, Unpooled.wrappedBuffer(payload));
            group.endGroup(1);
            RelayFixture.await(() -> dataStreams.stream().anyMatch(b -> contains(b, payload)),
                "the object on a subgroup stream with the offered alias");
            assertThat(c.peerClose()).isNotDone();
        }
    }

    private static boolean contains(final ByteArrayOutputStream stream, final byte[] needle)
    {
        final byte[] haystack;
        synchronized (stream)
        {
            haystack = stream.toByteArray();
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
