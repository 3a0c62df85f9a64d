package moq.relay.transport.webtransport;

import moq.relay.transport.ControlBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WebTransport subscriber (wt-protocol moqt-18) receives a raw-QUIC publisher's track through the relay. */
class MoqOverWebTransportTest
{
    private static final TrackNamespace NS = TrackNamespace.of("live", "wt");
    private static final Bytes TRACK = Bytes.utf8("video");

    @TempDir
    Path certDir;

    @org.junit.jupiter.api.extension.RegisterExtension
    final moq.relay.transport.LogCapture sessionLog = new moq.relay.transport.LogCapture("moq.relay.session");

    private Relay relay;
    private RelayServer server;
    private MoqClient publisher;
    private WebTransportTestClient wt;

    @AfterEach
    void stop()
    {
        if (wt != null)
        {
            wt.close();
        }
        if (publisher != null)
        {
            publisher.close();
        }
        server.close();
        relay.close();
    }

    private static List<ControlMessage> decode(final byte[] bytes) throws Exception
    {
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        final List<ControlMessage> messages = new ArrayList<>();
        int position = 0;
        while (position < bytes.length)
        {
            final int length = ControlFramer.frameLength(Draft.DRAFT_18.varint(), b, position, bytes.length - position);
            messages.add(Draft18ControlCodec.INSTANCE.decode(b, position, length));
            position += length;
        }
        return messages;
    }

    private static boolean contains(final byte[] haystack, final byte[] needle)
    {
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

    private ServerCertificate startRelay()
    {
        relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "16m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        final ServerCertificate certificate = TestServers.certificate(certDir);
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), certificate,
            sessions.register(SessionFactories.builder()).build());
        sessions.bindEventLoops(server.eventLoops());
        return certificate;
    }

    private TrackPublisher publisher() throws Exception
    {
        publisher = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        return publisher.track(NS, TRACK, 100);
    }

    @Test
    void webTransportSubscriberReceivesRawQuicPublisherTrack() throws Exception
    {
        final ServerCertificate certificate = startRelay();
        final TrackPublisher track = publisher();

        wt = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        final WebTransportTestClient.Session session = wt.connect("/moq", null, "\"moqt-18\"");
        assertThat(session.status()).isEqualTo("200");
        assertThat(session.header("wt-protocol")).isEqualTo("\"moqt-18\"");
        final long sessionId = session.id();

        final QuicStreamChannel control = wt.quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new io.netty.channel.ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        control.write(WebTransportTestClient.header(0x54, sessionId));
        control.writeAndFlush(ControlBytes.draft18(Setup.of()));
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        final QuicStreamChannel request = wt.quic.createStream(QuicStreamType.BIDIRECTIONAL,
            new WebTransportTestClient.Collector(answer)).get(5, TimeUnit.SECONDS);
        request.write(WebTransportTestClient.header(0x41, sessionId));
        request.writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK, MessageParameters.EMPTY)));

        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final List<byte[]> payloads = new ArrayList<>();
        final SubgroupWriter group = track.openSubgroup(0, 0);
        for (int o = 0; o < 5; o++)
        {
            final byte[] p = ("object " + o + " over WebTransport").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            payloads.add(p);
            group.write(o, Unpooled.wrappedBuffer(p));
        }
        group.endGroup(5);
        track.finish(0x2, "done");

        final List<ControlMessage> responses = decode(answer.get(5, TimeUnit.SECONDS));
        assertThat(responses.get(0)).isInstanceOf(SubscribeOk.class);
        assertThat(((PublishDone)responses.get(1)).statusCode()).isEqualTo(0x2);

        // The relay's uni streams: its SETUP stream (never finished) and the subgroup stream (finished).
        byte[] subgroup = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        final List<CompletableFuture<byte[]>> streams = new ArrayList<>();
        while (subgroup == null && System.nanoTime() < deadline)
        {
            final CompletableFuture<byte[]> next = wt.serverUniStreams.poll(50, TimeUnit.MILLISECONDS);
            if (next != null)
            {
                streams.add(next);
            }
            for (final CompletableFuture<byte[]> s : streams)
            {
                if (s.isDone() && !s.isCompletedExceptionally())
                {
                    subgroup = s.get();
                }
            }
        }
        assertThat(subgroup).as("a finished subgroup stream").isNotNull();
        for (final byte[] p : payloads)
        {
            assertThat(contains(subgroup, p)).as("payload \"%s\" on the subgroup stream", new String(p)).isTrue();
        }
    }

    @Test
    void webTransportSubscriberReceivesDatagramsOfARawQuicPublisher() throws Exception
    {
        final ServerCertificate certificate = startRelay();
        final TrackPublisher track = publisher();

        wt = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        final WebTransportTestClient.Session session = wt.connect("/moq", null, "\"moqt-18\"");
        final long sessionId = session.id();
        final QuicStreamChannel control = wt.quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new io.netty.channel.ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        control.write(WebTransportTestClient.header(0x54, sessionId));
        control.writeAndFlush(ControlBytes.draft18(Setup.of()));
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        final QuicStreamChannel request = wt.quic.createStream(QuicStreamType.BIDIRECTIONAL,
            new WebTransportTestClient.Collector(answer)).get(5, TimeUnit.SECONDS);
        request.write(WebTransportTestClient.header(0x41, sessionId));
        request.writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK, MessageParameters.EMPTY)));
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final List<byte[]> payloads = new ArrayList<>();
        for (int o = 0; o < 5; o++)
        {
            final byte[] p = ("datagram " + o + " over WebTransport").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            payloads.add(p);
            track.sendDatagram(3, o, -1, o == 0 ? new byte[] {0x3C, 0x01} : null, false, Unpooled.wrappedBuffer(p));
            Thread.sleep(2);
        }
        final List<moq.relay.wire.data.ObjectDatagram> got = new ArrayList<>();
        final List<Long> aliases = new ArrayList<>();
        while (got.size() < payloads.size())
        {
            final byte[] d = wt.datagrams.poll(5, TimeUnit.SECONDS);
            assertThat(d).as("datagram %d", got.size()).isNotNull();
            final UnsafeBuffer b = new UnsafeBuffer(d);
            final int q = moq.relay.wire.QuicVarint.size(b, 0);
            assertThat(moq.relay.wire.QuicVarint.value(b, 0)).as("quarter stream id").isEqualTo(sessionId >>> 2);
            final moq.relay.wire.data.ObjectDatagram od = new moq.relay.wire.data.ObjectDatagram();
            assertThat(od.decode(Draft.DRAFT_18, b, q, d.length - q)).isTrue();
            final int o = (int)od.objectId();
            assertThat(od.groupId()).isEqualTo(3);
            final byte[] payload = new byte[od.payloadLength()];
            b.getBytes(od.payloadOffset(), payload);
            assertThat(payload).isEqualTo(payloads.get(o));
            assertThat(od.propertiesLength()).isEqualTo(o == 0 ? 2 : 0);
            aliases.add(od.trackAlias());
            got.add(od);
        }
        track.finish(0x2, "done");
        final List<ControlMessage> responses = decode(answer.get(5, TimeUnit.SECONDS));
        final long alias = ((SubscribeOk)responses.get(0)).trackAlias();
        assertThat(aliases).as("the WebTransport subscriber's track alias").containsOnly(alias);
    }

    /**
     * README "Drafts served": over WebTransport the session's draft is the {@code wt-protocol} the relay answers,
     * chosen in the relay's order ({@code moq.relay.webtransport.protocols}). A client offering only {@code moqt-20}
     * gets it and is served draft 20 (its SETUP and SUBSCRIBE in draft-20's encoding, answered SUBSCRIBE_OK and
     * PUBLISH_DONE); one offering {@code moqt-20} and {@code moqt-18} gets {@code moqt-18}, which the default order
     * prefers.
     */
    @Test
    void draft20IsChosenByWtProtocolInTheRelaysOrder() throws Exception
    {
        final ServerCertificate certificate = startRelay();
        final TrackPublisher track = publisher();

        wt = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        final WebTransportTestClient.Session both = wt.connect("/moq", null, "\"moqt-20\", \"moqt-18\"");
        assertThat(both.header("wt-protocol")).isEqualTo("\"moqt-18\"");
        final WebTransportTestClient.Session session = wt.connect("/moq", null, "\"moqt-20\"");
        assertThat(session.status()).isEqualTo("200");
        assertThat(session.header("wt-protocol")).isEqualTo("\"moqt-20\"");
        final long sessionId = session.id();

        final moq.relay.wire.d20.Draft20ControlCodec d20 = moq.relay.wire.d20.Draft20ControlCodec.INSTANCE;
        final QuicStreamChannel control = wt.quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new io.netty.channel.ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        control.write(WebTransportTestClient.header(0x54, sessionId));
        control.writeAndFlush(ControlBytes.encode(d20, moq.relay.wire.d20.Setup.of()));
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        final QuicStreamChannel request = wt.quic.createStream(QuicStreamType.BIDIRECTIONAL,
            new WebTransportTestClient.Collector(answer)).get(5, TimeUnit.SECONDS);
        request.write(WebTransportTestClient.header(0x41, sessionId));
        request.writeAndFlush(ControlBytes.encode(d20, new moq.relay.wire.d20.Subscribe(0, NS, TRACK,
            moq.relay.wire.d20.MessageParameters.EMPTY)));

        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final SubgroupWriter group = track.openSubgroup(0, 0);
        group.write(0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        group.endGroup(1);
        track.finish(0x2, "done");

        final byte[] bytes = answer.get(5, TimeUnit.SECONDS);
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        final List<ControlMessage> responses = new ArrayList<>();
        for (int position = 0; position < bytes.length; )
        {
            final int length = ControlFramer.frameLength(Draft.DRAFT_20.varint(), b, position, bytes.length - position);
            responses.add(d20.decode(b, position, length));
            position += length;
        }
        assertThat(responses.get(0)).isInstanceOf(moq.relay.wire.d20.SubscribeOk.class);
        assertThat(((moq.relay.wire.d20.PublishDone)responses.get(1)).statusCode()).isEqualTo(0x2);
        assertThat(sessionLog.messages()).anyMatch(m -> m.contains("SETUP done, draft-20"));
    }

    /** Records a stream's bytes as they arrive (the draft-14 control stream never finishes). */
    private static final class Recorder extends io.netty.channel.ChannelInboundHandlerAdapter
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

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

        List<ControlMessage> messages() throws Exception
        {
            final byte[] all;
            synchronized (bytes)
            {
                all = bytes.toByteArray();
            }
            final UnsafeBuffer b = new UnsafeBuffer(all);
            final List<ControlMessage> out = new ArrayList<>();
            int position = 0;
            while (position < all.length)
            {
                final int length = ControlFramer.frameLength(Draft.DRAFT_14.varint(), b, position,
                    all.length - position);
                if (length == ControlFramer.NEED_MORE)
                {
                    break;
                }
                out.add(moq.relay.wire.d14.Draft14ControlCodec.INSTANCE.decode(b, position, length));
                position += length;
            }
            return out;
        }
    }

    @Test
    void webTransportWithoutProtocolSpeaksDraft14AfterClientSetup() throws Exception
    {
        final ServerCertificate certificate = startRelay();
        final TrackPublisher track = publisher();
        wt = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        final WebTransportTestClient.Session session = wt.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final long sessionId = session.id();

        final Recorder control = new Recorder();
        final QuicStreamChannel stream = wt.quic.createStream(QuicStreamType.BIDIRECTIONAL, control)
            .get(5, TimeUnit.SECONDS);
        stream.write(WebTransportTestClient.header(0x41, sessionId));
        stream.write(ControlBytes.draft14(new moq.relay.wire.d14.ClientSetup(List.of(Draft.DRAFT_14.version()),
            moq.relay.wire.d14.SetupParameters.EMPTY)));
        stream.writeAndFlush(ControlBytes.draft14(new moq.relay.wire.d14.Subscribe(0, NS, TRACK, 128,
            moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY)));
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (control.messages().size() < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(control.messages().get(0)).isInstanceOf(moq.relay.wire.d14.ServerSetup.class);
        assertThat(control.messages().get(1)).isInstanceOf(moq.relay.wire.d14.SubscribeOk.class);

        final SubgroupWriter group = track.openSubgroup(0, 0);
        final byte[] payload = "draft-14 over WebTransport".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        group.write(0, Unpooled.wrappedBuffer(payload));
        group.endGroup(1);
        final byte[] subgroup = wt.serverUniStreams.poll(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(contains(subgroup, payload)).as("the object on a draft-14 subgroup stream").isTrue();
    }
}
