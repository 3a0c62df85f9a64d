package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peers that abuse the control-message framing or the request bounds, while a publisher feeds a healthy subscriber
 * through the same relay: a message is never buffered beyond its 16-bit length (65,535 payload bytes), garbage
 * beyond it closes the offender with PROTOCOL_VIOLATION, requests beyond {@code moq.relay.session.max.requests} are
 * refused one by one with EXCESSIVE_LOAD, and nobody else notices.
 */
class HostileControlStreamTest
{
    private static final int MAX_REQUESTS = 8;
    private static final int MAX_NAMESPACES = 4;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_MAX_REQUESTS_PROP_NAME, Integer.toString(MAX_REQUESTS),
        RelayConfiguration.SESSION_MAX_NAMESPACES_PROP_NAME, Integer.toString(MAX_NAMESPACES)));
    private static final Path certDir = relay.certDir();

    private MoqClient publisher;
    private TrackPublisher track;
    private Received received;
    private long nextGroup;

    @BeforeEach
    void start() throws Exception
    {
        publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publishAndAwaitOneGroup();
    }

    private void publishAndAwaitOneGroup() throws InterruptedException
    {
        final int before = received.normalObjects();
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, nextGroup), nextGroup++);
        RelayFixture.await(() -> received.normalObjects() == before + 5, "the healthy subscriber's next group");
    }

    private static byte[] encode(final Draft draft, final ControlMessage m)
    {
        final WireWriter w = new WireWriter(draft.varint());
        if (draft == Draft.DRAFT_20)
        {
            moq.relay.wire.d20.Draft20ControlCodec.INSTANCE.encode(m, w);
        }
        else if (draft == Draft.DRAFT_18)
        {
            Draft18ControlCodec.INSTANCE.encode(m, w);
        }
        else
        {
            moq.relay.wire.d14.Draft14ControlCodec.INSTANCE.encode(m, w);
        }
        return Arrays.copyOf(w.buffer().byteArray(), w.position());
    }

    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type)
        throws Exception
    {
        return c.channel().createStream(type, new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
    }

    private static ByteBuf zeros(final int n)
    {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    /**
     * The header of a SUBSCRIBE that claims the largest payload the 16-bit length allows; only part of it follows,
     * the stream stays open, and the session with it. The rest plus bytes beyond the claimed length then arrive: the
     * 65,535-byte payload is decoded (it is not a SUBSCRIBE) and the session closes with PROTOCOL_VIOLATION.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void oversizeIncompleteControlMessageIsBoundedThenGarbageBeyondItClosesTheSessionAlone(final Draft draft)
        throws Exception
    {
        final String alpn = draft.alpn();
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, alpn))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final QuicStreamChannel stream;
            final byte[] subscribe;
            if (draft == Draft.DRAFT_20)
            {
                open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(encode(draft,
                    moq.relay.wire.d20.Setup.of())));
                stream = open(c, QuicStreamType.BIDIRECTIONAL);
                subscribe = encode(draft, new moq.relay.wire.d20.Subscribe(0, NS, TRACK,
                    moq.relay.wire.d20.MessageParameters.EMPTY));
            }
            else if (draft == Draft.DRAFT_18)
            {
                open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(encode(draft,
                    Setup.of())));
                stream = open(c, QuicStreamType.BIDIRECTIONAL);
                subscribe = encode(draft, new Subscribe(0, NS, TRACK, MessageParameters.EMPTY));
            }
            else
            {
                stream = open(c, QuicStreamType.BIDIRECTIONAL);
                stream.writeAndFlush(Unpooled.wrappedBuffer(encode(draft, new moq.relay.wire.d14.ClientSetup(
                    List.of(Draft.DRAFT_14.version()), moq.relay.wire.d14.SetupParameters.EMPTY))));
                subscribe = encode(draft, new moq.relay.wire.d14.Subscribe(0, NS, TRACK, 128,
                    moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
                    moq.relay.wire.d14.SubscriptionFilter.largestObject(),
                    moq.relay.wire.d14.MessageParameters.EMPTY));
            }
            final int typeSize = draft.varint().sizeAt(new org.agrona.concurrent.UnsafeBuffer(subscribe), 0);
            final byte[] header = Arrays.copyOf(subscribe, typeSize + 2);
            header[typeSize] = (byte)0xFF;
            header[typeSize + 1] = (byte)0xFF;
            stream.write(Unpooled.wrappedBuffer(header));
            stream.writeAndFlush(zeros(30_000)).get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> relay.server.sessionCount() == 3, "the hostile session");
            Thread.sleep(200);
            assertThat(c.peerClose()).as("an incomplete message is waited for, within its 64 KiB bound").isNotDone();
            publishAndAwaitOneGroup();

            // The rest of the claimed payload and 100 KB beyond it.
            stream.writeAndFlush(zeros(65_535 - 30_000 + 100_000));
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("close code").isEqualTo(SessionError.PROTOCOL_VIOLATION.code());
        }
        publishAndAwaitOneGroup();
        assertThat(relay.server.sessionCount()).as("publisher and subscriber remain").isEqualTo(2);
    }

    /**
     * A subscriber trickles SUBSCRIBEs for distinct existing tracks, one after the other, beyond the session's
     * request bound: the first {@code max.requests} succeed, each one beyond is refused (draft-18 REQUEST_ERROR
     * EXCESSIVE_LOAD, draft-14 SUBSCRIBE_ERROR INTERNAL_ERROR, draft-14 having no such code) and the session stays
     * open; once a subscription ends, a new request is accepted again.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void requestsBeyondTheSessionBoundAreRefusedOneByOneWithoutClosingTheSession(final Draft draft) throws Exception
    {
        final List<TrackPublisher> tracks = new ArrayList<>();
        for (int i = 0; i < MAX_REQUESTS + 4; i++)
        {
            tracks.add(publisher.track(NS, Bytes.utf8("t" + i), 100));
        }
        final MoqClient subscriber = relay.connect(draft);
        final List<Subscription> accepted = new ArrayList<>();
        final long expectedCode = draft.atLeast(18) ? moq.relay.wire.d18.RequestErrorCode.EXCESSIVE_LOAD : 0x0;
        for (int i = 0; i < tracks.size(); i++)
        {
            final CompletableFuture<Subscription> f = subscriber.subscribe(NS, Bytes.utf8("t" + i),
                SubscribeOptions.LATEST, new Received());
            if (i < MAX_REQUESTS)
            {
                accepted.add(f.get(5, TimeUnit.SECONDS));
                continue;
            }
            final Throwable thrown = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
            assertThat(thrown).as("request %d", i).isInstanceOf(ExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(RequestRejectedException.class);
            assertThat(((RequestRejectedException)thrown.getCause()).errorCode()).as("request %d refused", i)
                .isEqualTo(expectedCode);
        }
        assertThat(subscriber.closed()).as("refusing requests is not a session error").isNotDone();

        accepted.get(0).unsubscribe();
        final Received late = new Received();
        RelayFixture.await(() ->
        {
            try
            {
                subscriber.subscribe(NS, Bytes.utf8("t" + MAX_REQUESTS), SubscribeOptions.LATEST, late)
                    .get(5, TimeUnit.SECONDS);
                return true;
            }
            catch (final Exception e)
            {
                return false;
            }
        }, "a request accepted once a slot is free");
        final TrackPublisher lateTrack = tracks.get(MAX_REQUESTS);
        lateTrack.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(lateTrack, RelayEndToEndTest.script(1, 3, 3), 0);
        RelayFixture.await(() -> late.normalObjects() == 3, "the late subscription's objects");
        publishAndAwaitOneGroup();
        assertThat(relay.server.sessionCount()).isEqualTo(3);
    }

    /**
     * A publisher trickles PUBLISH_NAMESPACEs beyond {@code moq.relay.session.max.namespaces}: each one beyond is
     * refused (draft-18 EXCESSIVE_LOAD, draft-14 PUBLISH_NAMESPACE_ERROR INTERNAL_ERROR) and the session stays open.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void namespacesBeyondTheSessionBoundAreRefusedOneByOneWithoutClosingTheSession(final Draft draft)
        throws Exception
    {
        final MoqClient many = relay.connect(draft);
        final long expectedCode = draft.atLeast(18) ? moq.relay.wire.d18.RequestErrorCode.EXCESSIVE_LOAD : 0x0;
        for (int i = 0; i < MAX_NAMESPACES + 3; i++)
        {
            final CompletableFuture<moq.relay.client.PublishedNamespace> f =
                many.publishNamespace(moq.relay.wire.TrackNamespace.of("many", "ns" + i));
            if (i < MAX_NAMESPACES)
            {
                f.get(5, TimeUnit.SECONDS);
                continue;
            }
            final Throwable thrown = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
            assertThat(thrown).as("namespace %d", i).isInstanceOf(ExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(RequestRejectedException.class);
            assertThat(((RequestRejectedException)thrown.getCause()).errorCode()).as("namespace %d refused", i)
                .isEqualTo(expectedCode);
        }
        assertThat(many.closed()).as("refusing namespaces is not a session error").isNotDone();
        publishAndAwaitOneGroup();
        assertThat(relay.server.sessionCount()).isEqualTo(3);
    }
}
