package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.payload;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.Subscription;
import moq.relay.client.TrackOffer;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SubscribeTracks;

/**
 * SUBSCRIBE_TRACKS across relays: a raw draft-18 subscriber on relay C asks for the tracks under {@code live}; a
 * publisher on relay A publishes one with PUBLISH (no PUBLISH_NAMESPACE). A registers the track in Redis, C mirrors it,
 * offers it with PUBLISH, and once accepted subscribes at A and delivers its objects; the publisher's end reaches the
 * subscriber as PUBLISH_DONE. A plain SUBSCRIBE on C finds the PUBLISH-ed track too.
 */
@Timeout(60)
class ClusterSubscribeTracksTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withRedis();

    /** A stream's bytes: control messages decoded on demand, or searched for a payload. */
    static final class StreamBytes extends ChannelInboundHandlerAdapter
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile io.netty.channel.Channel channel;

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            channel = ctx.channel();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
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

        byte[] all()
        {
            synchronized (bytes)
            {
                return bytes.toByteArray();
            }
        }

        List<ControlMessage> messages()
        {
            final byte[] all = all();
            final UnsafeBuffer b = new UnsafeBuffer(all);
            final List<ControlMessage> out = new ArrayList<>();
            int position = 0;
            try
            {
                while (position < all.length)
                {
                    final int length = ControlFramer.frameLength(Draft18ControlCodec.INSTANCE.draft().varint(), b,
                        position, all.length - position);
                    if (length == ControlFramer.NEED_MORE)
                    {
                        break;
                    }
                    out.add(Draft18ControlCodec.INSTANCE.decode(b, position, length));
                    position += length;
                }
            }
            catch (final WireException e)
            {
                throw new IllegalStateException(e);
            }
            return out;
        }

        boolean contains(final byte[] needle)
        {
            final String haystack = new String(all(), StandardCharsets.ISO_8859_1);
            return haystack.contains(new String(needle, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aTrackPublishedOnAIsOfferedToSubscribeTracksOnCAndDelivered() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode c = cluster.redisNode();

        final List<StreamBytes> offers = new CopyOnWriteArrayList<>();
        final List<StreamBytes> dataStreams = new CopyOnWriteArrayList<>();
        final ChannelInitializer<QuicStreamChannel> serverStreams = new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final QuicStreamChannel stream)
            {
                final StreamBytes s = new StreamBytes();
                (stream.type() == QuicStreamType.BIDIRECTIONAL ? offers : dataStreams).add(s);
                stream.pipeline().addLast(s);
            }
        };
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(cluster.certs()).leaf(), 10_000, "moqt-18"))
        {
            final QuicTestClient.Connection conn = client.connect(c.server.localAddress(), true, serverStreams);
            conn.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            final StreamBytes request = new StreamBytes();
            conn.channel().createStream(QuicStreamType.BIDIRECTIONAL, request).get(5, TimeUnit.SECONDS)
                .writeAndFlush(ControlBytes.draft18(new SubscribeTracks(0, TrackNamespace.of("live"),
                    MessageParameters.EMPTY)));
            await(() -> request.messages().size() == 1, "REQUEST_OK of SUBSCRIBE_TRACKS on C");
            assertThat(request.messages().get(0)).isInstanceOf(RequestOk.class);

            // PUBLISH on A, no PUBLISH_NAMESPACE: only the track registration can bring it to C.
            final MoqClient publisher = a.connect(Draft.DRAFT_18);
            final TrackPublisher track = publisher.track(NS, TRACK, 100);
            track.publish().get(10, TimeUnit.SECONDS);
            await(() -> !offers.isEmpty() && !offers.get(0).messages().isEmpty(), "C's PUBLISH offer of A's track");
            final Publish offer = (Publish)offers.get(0).messages().get(0);
            assertThat(offer.namespace()).isEqualTo(NS);
            assertThat(offer.trackName()).isEqualTo(TRACK);
            offers.get(0).channel.writeAndFlush(ControlBytes.draft18(
                new RequestOk(MessageParameters.of(new Parameter.Forward(true)))));

            // The subscription travels C → A as forward rises; groups published before it are not forwarded.
            final long[] group = {0};
            await(() ->
            {
                publishGroup(track, group[0], 3);
                final byte[] last = payload(group[0], 2).getBytes(StandardCharsets.UTF_8);
                group[0]++;
                sleep(100);
                return dataStreams.stream().anyMatch(s -> s.contains(last));
            }, "an object published on A at C's SUBSCRIBE_TRACKS subscriber");
            final long next = group[0];
            publishGroup(track, next, 3);
            for (long o = 0; o < 3; o++)
            {
                final byte[] p = payload(next, o).getBytes(StandardCharsets.UTF_8);
                await(() -> dataStreams.stream().anyMatch(s -> s.contains(p)), "object " + next + "/" + o);
            }

            // A plain SUBSCRIBE on C finds the PUBLISH-ed track as well (through the same mirror).
            final ClusterForwardingTest.Collector plain = new ClusterForwardingTest.Collector();
            subscribe(c.connect(Draft.DRAFT_18), Filter.largestObject(), plain);
            publishGroup(track, next + 1, 3);
            await(() -> plain.objects.size() >= 3, "objects at a plain SUBSCRIBE on C");
            assertThat(plain.objects).containsExactlyElementsOf(ClusterForwardingTest.expected(next + 1, next + 1, 3));

            // The publisher ends the track: PUBLISH_DONE to both subscribers on C.
            track.finish(0x2, "bye");
            await(() -> offers.get(0).messages().stream().anyMatch(m -> m instanceof PublishDone),
                "PUBLISH_DONE on the offer's stream");
            assertThat(plain.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(conn.peerClose()).isNotDone();
        }
    }

    @Test
    void theFirstAnswersOnCOfATrackPublishedOnACarryTheOriginsTrackProperties() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode c = cluster.redisNode();

        final TrackPublisher track = a.connect(Draft.DRAFT_18).track(NS, TRACK, 100)
            .trackProperties(StaticUpstreamDiscoveryTest.PROPERTIES);
        track.publish().get(10, TimeUnit.SECONDS);
        // C's PUBLISH of the mirror, declined so that C does not subscribe at A: nothing has come from A but Redis.
        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        c.connect(Draft.DRAFT_18).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offers.add(offer);
            return null;
        }).get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "C's PUBLISH of A's track");
        assertThat(offers.get(0).trackProperties()).containsExactlyElementsOf(StaticUpstreamDiscoveryTest.PROPERTIES);

        // The first SUBSCRIBE on C is answered before C's own SUBSCRIBE at A is: with A's properties all the same.
        final Subscription s = subscribe(c.connect(Draft.DRAFT_18), Filter.largestObject(),
            new ClusterForwardingTest.Collector());
        assertThat(s.trackProperties()).containsExactlyElementsOf(StaticUpstreamDiscoveryTest.PROPERTIES);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
