package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeader;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A MoQT client written by hand, for what {@link moq.relay.client.MoqClient} will not do: name any
 * MOQT_IMPLEMENTATION (to look like a known deployed client), send data before SUBSCRIBE_OK, send what a draft
 * forbids. Draft 14 (one control stream) or draft 18 or 20 (one stream per request; draft 20: a SETUP without
 * options unless {@code implementation} is given). Records the relay's control messages,
 * the request streams the relay opens (draft 18), and every object of the subgroup streams the relay opens to it, as
 * "group/object".
 */
final class RawPeer implements AutoCloseable
{
    final Draft draft;
    final ControlCodec codec;
    final QuicTestClient.Connection connection;
    /** Draft 14: the control stream's messages from the relay. Draft 18: unused. */
    final RecordedMessages control;
    /** Draft 18: request streams the relay opened (its SUBSCRIBEs). */
    final List<RecordedMessages> relayRequests = new CopyOnWriteArrayList<>();
    /** Objects of the relay's subgroup streams, "group/object", in arrival order. */
    final List<String> objects = new CopyOnWriteArrayList<>();
    /**
     * Objects of the relay's fetch streams (fill fetch streams too), "requestId:group/object" in arrival order, and
     * "requestId:FIN" when such a stream ends.
     */
    final List<String> fetched = new CopyOnWriteArrayList<>();
    /** Request ids of this peer's FETCHes in descending group order: their fetch streams are decoded so. */
    final java.util.Set<Long> descendingFetches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** End of Range markers of the relay's fetch streams, "requestId:unknown:group/object" (or "nonexistent"). */
    final List<String> fetchRanges = new CopyOnWriteArrayList<>();
    /**
     * Subgroup streams the relay reset, "group/subgroup:code" ("?:code" when the reset came before the header was
     * read), and those it ended, "group/subgroup:FIN".
     */
    final List<String> subgroupEnds = new CopyOnWriteArrayList<>();
    /**
     * Set before the relay opens data streams: they are not read (auto-read off), so QUIC grants the relay no more
     * than the stream's initial credit, until {@link #readDataStreams()}.
     */
    volatile boolean holdDataStreams;
    private final List<QuicStreamChannel> heldDataStreams = new CopyOnWriteArrayList<>();
    private final QuicTestClient client;
    private final QuicStreamChannel controlStream;
    private long nextRequestId;

    RawPeer(final RelayFixture relay, final Path certDir, final Draft draft, final String implementation)
        throws Exception
    {
        this(relay, certDir, draft, implementation, (String)null);
    }

    /** {@code setupOptions}: draft 20's further SETUP options (after MOQT_IMPLEMENTATION, ascending). */
    RawPeer(final RelayFixture relay, final Path certDir, final Draft draft, final String implementation,
        final KeyValuePair... setupOptions) throws Exception
    {
        this(relay, certDir, draft, implementation, null, setupOptions);
    }

    /**
     * @param setupPath    the SETUP's PATH (its {@code ?jwt=} authorizes the session), or null for none
     * @param setupOptions draft 20's further SETUP options (after MOQT_IMPLEMENTATION, ascending)
     */
    RawPeer(final RelayFixture relay, final Path certDir, final Draft draft, final String implementation,
        final String setupPath, final KeyValuePair... setupOptions) throws Exception
    {
        this.draft = draft;
        this.codec = draft == Draft.DRAFT_20 ? moq.relay.wire.d20.Draft20ControlCodec.INSTANCE :
            draft == Draft.DRAFT_18 ? Draft18ControlCodec.INSTANCE : Draft14ControlCodec.INSTANCE;
        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn());
        connection = client.connect(relay.server.localAddress(), true, new ChannelInitializer<QuicStreamChannel>()
        {
            @Override
            protected void initChannel(final QuicStreamChannel stream)
            {
                if (stream.type() == QuicStreamType.BIDIRECTIONAL)
                {
                    final RecordedMessages recorder = new RecordedMessages(codec);
                    relayRequests.add(recorder);
                    stream.pipeline().addLast(recorder);
                }
                else
                {
                    if (holdDataStreams)
                    {
                        stream.config().setAutoRead(false);
                        heldDataStreams.add(stream);
                    }
                    stream.pipeline().addLast(new DataRecorder());
                }
            }
        });
        control = new RecordedMessages(codec);
        if (draft == Draft.DRAFT_20)
        {
            controlStream = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            final List<KeyValuePair> options = new ArrayList<>();
            if (implementation != null)
            {
                options.add(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(implementation)));
            }
            options.addAll(List.of(setupOptions));
            controlStream.writeAndFlush(encode(new moq.relay.wire.d20.Setup(options)));
        }
        else if (draft == Draft.DRAFT_18)
        {
            final List<KeyValuePair> options = new java.util.ArrayList<>();
            if (setupPath != null)
            {
                options.add(KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8(setupPath)));
            }
            if (implementation != null)
            {
                options.add(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(implementation)));
            }
            final moq.relay.wire.d18.Setup setup = new moq.relay.wire.d18.Setup(options);
            controlStream = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            controlStream.writeAndFlush(encode(setup));
        }
        else
        {
            final moq.relay.wire.d14.SetupParameters.Builder parameters =
                moq.relay.wire.d14.SetupParameters.builder();
            if (setupPath != null)
            {
                parameters.path(setupPath);
            }
            parameters.maxRequestId(100);
            if (implementation != null)
            {
                parameters.implementation(implementation);
            }
            controlStream = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                .get(5, TimeUnit.SECONDS);
            controlStream.writeAndFlush(encode(new moq.relay.wire.d14.ClientSetup(List.of(draft.version()),
                parameters.build())));
            RelayFixture.await(() -> control.first(moq.relay.wire.d14.ServerSetup.class) != null, "SERVER_SETUP");
        }
    }

    ByteBuf encode(final ControlMessage m)
    {
        return ControlBytes.encode(codec, m);
    }

    /** Starts reading the data streams held by {@link #holdDataStreams}, and reads later ones at once. */
    void readDataStreams()
    {
        holdDataStreams = false;
        for (final QuicStreamChannel stream : heldDataStreams)
        {
            stream.eventLoop().execute(() ->
            {
                stream.config().setAutoRead(true);
                stream.read();
            });
        }
    }

    long nextRequestId()
    {
        final long id = nextRequestId;
        nextRequestId += 2;
        return id;
    }

    /** Draft 14: writes {@code m} on the control stream. */
    void send(final ControlMessage m)
    {
        controlStream.writeAndFlush(encode(m));
    }

    /** Draft 14: writes raw bytes on the control stream. */
    void sendRaw(final byte[] bytes)
    {
        controlStream.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** Draft 18: opens a request stream, writes {@code request} on it, and returns the stream's recorder. */
    RawBytes request(final ControlMessage request) throws Exception
    {
        final RawBytes answer = new RawBytes();
        connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
            .writeAndFlush(encode(request));
        return answer;
    }

    /** A SUBSCRIBE with the Largest Object filter; returns once the relay answered (any answer). */
    void subscribeLargestObject(final TrackNamespace ns, final Bytes track) throws Exception
    {
        final long id = nextRequestId();
        if (draft == Draft.DRAFT_18)
        {
            final RawBytes answer = request(new moq.relay.wire.d18.Subscribe(id, ns, track,
                moq.relay.wire.d18.MessageParameters.of(new moq.relay.wire.d18.Parameter.Filter(
                    moq.relay.wire.d18.SubscriptionFilter.largestObject()))));
            RelayFixture.await(() -> answer.bytes().length > 0, "the answer to SUBSCRIBE");
        }
        else
        {
            send(new moq.relay.wire.d14.Subscribe(id, ns, track, 128, moq.relay.wire.d14.GroupOrder.ASCENDING, true,
                moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY));
            RelayFixture.await(() -> control.decoded().stream().anyMatch(m ->
                m instanceof moq.relay.wire.d14.SubscribeOk && ((moq.relay.wire.d14.SubscribeOk)m).requestId() == id ||
                m instanceof moq.relay.wire.d14.SubscribeError &&
                    ((moq.relay.wire.d14.SubscribeError)m).requestId() == id), "the answer to SUBSCRIBE");
        }
    }

    /** Opens a subgroup stream (draft 14 type 0x10 / draft 18 with FIRST_OBJECT unset) of group {@code group}. */
    DataOut openSubgroup(final long alias, final long group) throws Exception
    {
        final QuicStreamChannel data = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        final int n = encoder.writeHeader(draft, scratch, 0, 0x10, alias, group, 0, 128);
        data.writeAndFlush(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
        return new DataOut(data, encoder, scratch, group);
    }

    /** Payload the tests give object {@code group/object}. */
    static byte[] payload(final long group, final long object)
    {
        return ("object " + group + "/" + object).getBytes(StandardCharsets.UTF_8);
    }

    /** One open subgroup stream of the peer. */
    static final class DataOut
    {
        private final QuicStreamChannel stream;
        private final SubgroupStreamEncoder encoder;
        private final UnsafeBuffer scratch;
        private final long group;

        DataOut(final QuicStreamChannel stream, final SubgroupStreamEncoder encoder, final UnsafeBuffer scratch,
            final long group)
        {
            this.stream = stream;
            this.encoder = encoder;
            this.scratch = scratch;
            this.group = group;
        }

        /** Writes objects {@code from..to-1} with {@link #payload} bodies. */
        void objects(final long from, final long to)
        {
            for (long o = from; o < to; o++)
            {
                final byte[] body = payload(group, o);
                final int n = encoder.writeObject(scratch, 0, o, ObjectStatus.NORMAL, null, 0, 0, body.length);
                stream.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                stream.write(Unpooled.wrappedBuffer(body));
            }
            stream.flush();
        }

        void finish()
        {
            stream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }

    /** Collects a stream's bytes (a draft-18 answer may be in a form our own codec does not decode). */
    static final class RawBytes extends ChannelInboundHandlerAdapter
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private volatile QuicStreamChannel channel;

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            channel = (QuicStreamChannel)ctx.channel();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            synchronized (out)
            {
                final byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                out.writeBytes(a);
            }
            b.release();
        }

        byte[] bytes()
        {
            synchronized (out)
            {
                return out.toByteArray();
            }
        }

        QuicStreamChannel channel()
        {
            return channel;
        }

        /** The draft-18 messages received so far. */
        List<ControlMessage> decoded()
        {
            return decoded(Draft18ControlCodec.INSTANCE);
        }

        /** The messages received so far, as {@code codec} reads them. */
        List<ControlMessage> decoded(final ControlCodec codec)
        {
            final RecordedMessages decoder = new RecordedMessages(codec);
            decoder.channelRead(null, Unpooled.wrappedBuffer(bytes()));
            return decoder.decoded();
        }
    }

    /** Decodes one subgroup stream of the relay into {@link #objects}; other uni streams (SETUP) are ignored. */
    private final class DataRecorder extends ChannelInboundHandlerAdapter implements DataStreamHandler
    {
        private final DataStreamDecoder decoder = new DataStreamDecoder(draft, this, 65_535);
        private final ByteBufChunks chunks = new ByteBufChunks(0);
        private final List<String> pending = new ArrayList<>(1);
        private boolean ignored;
        private long group;
        private long object;
        /** The FETCH_HEADER's Request ID on a fetch stream, else -1. */
        private long fetchRequestId = -1;
        /** "group/subgroup" of a subgroup stream, once its header was read. */
        private String subgroup;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                if (!ignored)
                {
                    chunks.feed(b, decoder);
                }
            }
            catch (final WireException e)
            {
                ignored = true; // the relay's draft-18 control stream, not a subgroup stream
            }
            finally
            {
                b.release();
            }
        }

        @Override
        public void onSubgroupHeader(final SubgroupHeader h)
        {
            subgroup = h.groupId() + "/" + h.subgroupId();
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            fetchRequestId = requestId;
            return descendingFetches.contains(requestId);
        }

        @Override
        public void onObjectHeader(final ObjectHeader h)
        {
            group = h.groupId();
            object = h.objectId();
            pending.clear();
            if (h.status() == ObjectStatus.NORMAL)
            {
                pending.add((fetchRequestId >= 0 ? fetchRequestId + ":" : "") + group + "/" + object);
            }
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        @Override
        public void onObjectEnd()
        {
            (fetchRequestId >= 0 ? fetched : objects).addAll(pending);
            pending.clear();
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            fetchRanges.add(fetchRequestId + ":" + (unknown ? "unknown" : "nonexistent") + ":" + groupId + "/" +
                objectId);
        }

        @Override
        public void onStreamEnd()
        {
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && fetchRequestId >= 0)
            {
                fetched.add(fetchRequestId + ":FIN");
            }
            else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && subgroup != null)
            {
                subgroupEnds.add(subgroup + ":FIN");
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (fetchRequestId >= 0)
            {
                fetched.add(fetchRequestId + ":RESET"); // the relay reset its fetch stream
            }
            else if (!ignored && cause instanceof io.netty.handler.codec.quic.QuicStreamResetException r)
            {
                // A reset may discard the data before its header was read: "?" then.
                subgroupEnds.add((subgroup == null ? "?" : subgroup) + ":" + r.applicationProtocolCode());
            }
        }
    }

    @Override
    public void close()
    {
        client.close();
    }
}
