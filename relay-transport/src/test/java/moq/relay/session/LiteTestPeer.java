package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.lite.LiteCodec;
import moq.relay.wire.lite.LiteControlStreamDecoder;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameEncoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteLimits;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A raw moq-lite peer over QUIC, built from the relay's wire codecs (not from the session code under test): it opens
 * streams with hand-made bytes and records what the relay sends, decoded with {@link LiteControlStreamDecoder} and
 * {@link LiteFrameDecoder}.
 */
final class LiteTestPeer implements AutoCloseable
{
    final LiteVersion version;
    final LiteCodec codec;
    private final QuicTestClient client;
    final QuicTestClient.Connection connection;
    /** Streams the relay opened (bidirectional): Announce and Subscribe Streams, as it asks this peer. */
    final List<Control> relayStreams = new CopyOnWriteArrayList<>();
    /** Group Streams the relay opened to this peer. */
    final List<Group> groups = new CopyOnWriteArrayList<>();
    /** lite-05: Setup Streams the relay opened to this peer (one expected). */
    final List<Control> setups = new CopyOnWriteArrayList<>();
    /** lite-05: the QUIC datagrams the relay sent, as received. */
    final List<byte[]> datagrams = new CopyOnWriteArrayList<>();
    /** lite-05: when set, every TRACK the relay asks this peer is answered with it, then FIN (as a publisher does). */
    volatile moq.relay.wire.lite.TrackInfo trackInfo;
    /**
     * When set, every FETCH the relay asks this peer is answered as a publisher does: the frames this gives for the
     * group (lite-05: frame i stamped {@code 1000 * group + i}), then FIN; a group it gives null for is reset with
     * 0x10 (the publisher does not have it, as {@code @moq/net} answers).
     */
    volatile java.util.function.LongFunction<List<byte[]>> fetchAnswers;
    /** The groups of the FETCHes the relay asked this peer, in the order they arrived. */
    final List<Long> fetchesAsked = new CopyOnWriteArrayList<>();

    /**
     * While set, the unidirectional streams the relay opens (Group Streams) are left unread ({@link #held}), so their
     * bytes keep the connection's flow-control credit spent: a subscriber whose connection takes nothing.
     */
    volatile boolean holdGroups;
    final java.util.concurrent.ConcurrentLinkedQueue<QuicStreamChannel> held =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    LiteTestPeer(final Path certDir, final int port, final LiteVersion version) throws Exception
    {
        this(certDir, port, version, 1 << 20, 10);
    }

    /** A peer granting the relay {@code initialMaxData} bytes of connection credit and {@code maxStreamsUni} streams. */
    LiteTestPeer(final Path certDir, final int port, final LiteVersion version, final long initialMaxData,
        final long maxStreamsUni) throws Exception
    {
        this.version = version;
        this.codec = LiteCodec.of(version);
        this.client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, initialMaxData,
            maxStreamsUni, version.alpn());
        this.connection = client.connect(new java.net.InetSocketAddress("127.0.0.1", port), true,
            new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel stream)
                {
                    if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
                    {
                        stream.pipeline().addLast(new UniSniffer());
                        if (holdGroups)
                        {
                            stream.config().setAutoRead(false);
                            held.add(stream);
                        }
                    }
                    else
                    {
                        final Control c = new Control(null, true);
                        relayStreams.add(c);
                        stream.pipeline().addLast(c);
                    }
                }
            });
        connection.channel().pipeline().addLast(new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (msg instanceof ByteBuf)
                {
                    final ByteBuf b = (ByteBuf)msg;
                    final byte[] a = new byte[b.readableBytes()];
                    b.readBytes(a);
                    b.release();
                    datagrams.add(a);
                    return;
                }
                ctx.fireChannelRead(msg);
            }
        });
    }

    /** Sends one QUIC datagram. */
    /** Reads the held streams and every later one again. */
    void releaseGroups()
    {
        holdGroups = false;
        QuicStreamChannel s;
        while ((s = held.poll()) != null)
        {
            final QuicStreamChannel stream = s;
            stream.eventLoop().execute(() -> stream.config().setAutoRead(true));
        }
    }

    void sendDatagram(final byte[] bytes)
    {
        connection.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** Opens a bidirectional stream, writes {@code bytes} and returns the recorder of the relay's replies. */
    Control open(final LiteStreamSide replySide, final byte[] bytes) throws Exception
    {
        final Control c = new Control(replySide, false);
        final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, c)
            .get(5, TimeUnit.SECONDS);
        if (bytes.length > 0)
        {
            s.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
        }
        return c;
    }

    /** Opens a Fetch Stream with {@code fetch} and returns the recorder of the relay's bare FRAMEs in reply. */
    Group fetch(final LiteMessage fetch) throws Exception
    {
        final Group g = new Group(LiteFrameDecoder.Mode.FETCH_REPLY);
        final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, g)
            .get(5, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.wrappedBuffer(opener(LiteStreamType.FETCH, fetch))).sync();
        return g;
    }

    /** lite-05: opens a unidirectional Setup Stream with {@code setup} and FINs it. */
    void sendSetup(final LiteMessage setup) throws Exception
    {
        final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.wrappedBuffer(opener(LiteStreamType.SETUP, setup))).sync();
        s.shutdownOutput().sync();
    }

    /** A stream type then one message, as an opener writes them. */
    byte[] opener(final int type, final LiteMessage message)
    {
        final byte[] body = codec.encode(message);
        final byte[] out = new byte[1 + body.length];
        out[0] = (byte)type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Opens a Group Stream for subscription {@code subscribeId} and writes {@code frames}; FIN if {@code fin}. */
    QuicStreamChannel writeGroup(final long subscribeId, final long sequence, final List<byte[]> frames,
        final boolean fin) throws Exception
    {
        return writeGroup(subscribeId, sequence, frames, fin, 0);
    }

    /** As above; on lite-05 frame i carries timestamp {@code firstTimestamp + i}. */
    QuicStreamChannel writeGroup(final long subscribeId, final long sequence, final List<byte[]> frames,
        final boolean fin, final long firstTimestamp) throws Exception
    {
        final List<Long> timestamps = new java.util.ArrayList<>();
        for (int i = 0; i < frames.size(); i++)
        {
            timestamps.add(firstTimestamp + i);
        }
        return writeGroup(subscribeId, sequence, frames, fin, timestamps);
    }

    /** As above; on lite-05 frame i carries timestamp {@code timestamps.get(i)} (in any order). */
    QuicStreamChannel writeGroup(final long subscribeId, final long sequence, final List<byte[]> frames,
        final boolean fin, final List<Long> timestamps) throws Exception
    {
        long previous = 0;
        int i = 0;
        final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        int n = LiteFrameEncoder.groupStreamHeader(scratch, 0, subscribeId, sequence);
        io.netty.channel.ChannelFuture last = s.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
        for (final byte[] frame : frames)
        {
            final long timestamp = timestamps.get(i++);
            n = LiteFrameEncoder.frameHeader(scratch, 0, version, frame.length, timestamp, previous);
            previous = timestamp;
            s.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
            last = s.write(Unpooled.wrappedBuffer(frame));
        }
        s.flush();
        if (fin)
        {
            // After the last write is handed to QUIC: a FIN while writes wait for stream credit would cut them off.
            last.sync();
            s.shutdownOutput().sync();
        }
        return s;
    }

    /** The connection close the relay sent, within 5 s. */
    io.netty.handler.codec.quic.QuicConnectionCloseEvent awaitClose() throws Exception
    {
        return connection.peerClose().get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        connection.channel().close().awaitUninterruptibly();
        client.close();
    }

    /** One side of a control stream, recorded and decoded. */
    final class Control extends ChannelInboundHandlerAdapter implements LiteMessageSink
    {
        final List<LiteMessage> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> fin = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** The relay ended or reset the stream (FIN, reset, or close). */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private LiteControlStreamDecoder decoder;
        private final boolean sniffType;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        volatile QuicStreamChannel channel;
        volatile Throwable error;

        Control(final LiteStreamSide side, final boolean sniffType)
        {
            this.sniffType = sniffType;
            if (side != null)
            {
                decoder = new LiteControlStreamDecoder(version, side, this, LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH,
                    BufferBudget.UNBOUNDED);
            }
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            channel = (QuicStreamChannel)ctx.channel();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                final byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                if (decoder == null && sniffType && a.length > 0)
                {
                    // A relay-opened stream: its type says which opener side it is.
                    decoder = new LiteControlStreamDecoder(version, a[0] == LiteStreamType.ANNOUNCE ?
                        LiteStreamSide.ANNOUNCE : a[0] == LiteStreamType.TRACK ? LiteStreamSide.TRACK :
                        a[0] == LiteStreamType.FETCH ? LiteStreamSide.FETCH : LiteStreamSide.SUBSCRIBE, this,
                        LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, BufferBudget.UNBOUNDED);
                }
                raw.writeBytes(a);
                decoder.onData(new UnsafeBuffer(a), 0, a.length);
            }
            catch (final WireException e)
            {
                error = e;
            }
            finally
            {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                fin.complete(null);
                ended.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            error = cause;
            ended.complete(null);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            closed.complete(null);
            ended.complete(null);
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            messages.add(message);
            if (sniffType && message instanceof moq.relay.wire.lite.Fetch f)
            {
                fetchesAsked.add(f.group());
                final java.util.function.LongFunction<List<byte[]>> answers = fetchAnswers;
                final List<byte[]> frames = answers == null ? null : answers.apply(f.group());
                if (answers != null && frames == null)
                {
                    channel.shutdownOutput(0x10);
                }
                else if (frames != null)
                {
                    final List<Long> timestamps = new java.util.ArrayList<>();
                    for (int i = 0; i < frames.size(); i++)
                    {
                        timestamps.add(1000 * f.group() + i);
                    }
                    writeFrames(frames, timestamps, true);
                }
            }
            final moq.relay.wire.lite.TrackInfo info = trackInfo;
            if (sniffType && info != null && message instanceof moq.relay.wire.lite.TrackRequest)
            {
                write(info);
                fin();
            }
        }

        @Override
        public void onEnd()
        {
        }

        <T> T first(final Class<T> type)
        {
            for (final LiteMessage m : messages)
            {
                if (type.isInstance(m))
                {
                    return type.cast(m);
                }
            }
            return null;
        }

        void write(final LiteMessage message)
        {
            channel.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(message)));
        }

        void fin()
        {
            channel.shutdownOutput();
        }

        /** A Fetch Stream's reply (bare FRAMEs, lite-05 with {@code timestamps}), then FIN if {@code fin}. */
        void writeFrames(final List<byte[]> frames, final List<Long> timestamps, final boolean fin)
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
            long previous = 0;
            io.netty.channel.ChannelFuture last = null;
            for (int i = 0; i < frames.size(); i++)
            {
                final int n = LiteFrameEncoder.frameHeader(scratch, 0, version, frames.get(i).length,
                    timestamps.get(i), previous);
                previous = timestamps.get(i);
                channel.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                last = channel.write(Unpooled.wrappedBuffer(frames.get(i)));
            }
            channel.flush();
            if (fin && last == null)
            {
                channel.shutdownOutput();
            }
            else if (fin)
            {
                // Once the last write is handed to QUIC: a FIN while writes wait for the relay's stream credit (a
                // Fetch Stream it holds unread) would cut them off.
                last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        }
    }

    /** Routes a relay-opened unidirectional stream by its first byte: lite-05's Setup Stream (0x1), else a Group. */
    private final class UniSniffer extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            if (!b.isReadable())
            {
                b.release();
                return;
            }
            if (version.setupStream() && b.getByte(b.readerIndex()) == LiteStreamType.SETUP)
            {
                final Control c = new Control(LiteStreamSide.SETUP, false);
                setups.add(c);
                ctx.pipeline().addLast(c);
            }
            else
            {
                final Group g = new Group();
                groups.add(g);
                ctx.pipeline().addLast(g);
            }
            ctx.fireChannelRead(b);
            ctx.pipeline().remove(this);
        }
    }

    /** A Group Stream the relay opened: its GROUP, frames and end (or a Fetch Stream's reply: frames and end). */
    final class Group extends ChannelInboundHandlerAdapter implements LiteFrameHandler
    {
        private final LiteFrameDecoder decoder;
        volatile long subscribeId = -1;
        volatile long sequence = -1;
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        /** lite-05: each frame's timestamp (the running sum of the deltas). */
        final List<Long> timestamps = new CopyOnWriteArrayList<>();
        private ByteArrayOutputStream frame;
        volatile boolean ended;
        volatile Throwable error;
        /** The stream is gone (FIN read, reset, or closed). */
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Group()
        {
            this(LiteFrameDecoder.Mode.GROUP);
        }

        Group(final LiteFrameDecoder.Mode mode)
        {
            decoder = new LiteFrameDecoder(version, mode, this, BufferBudget.UNBOUNDED);
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                final byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                decoder.onData(new UnsafeBuffer(a), 0, a.length);
            }
            catch (final WireException e)
            {
                error = e;
            }
            finally
            {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                try
                {
                    decoder.onFin();
                }
                catch (final WireException e)
                {
                    error = e;
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            error = cause;
            closed.complete(null);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            closed.complete(null);
            ctx.fireChannelInactive();
        }

        @Override
        public void onGroup(final long subscribeId, final long sequence)
        {
            this.subscribeId = subscribeId;
            this.sequence = sequence;
        }

        @Override
        public void onFrame(final long length, final long timestamp)
        {
            timestamps.add(timestamp);
            frame = new ByteArrayOutputStream();
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] a = new byte[length];
            buffer.getBytes(offset, a);
            frame.writeBytes(a);
        }

        @Override
        public void onFrameEnd()
        {
            frames.add(frame.toByteArray());
        }

        @Override
        public void onStreamEnd()
        {
            ended = true;
            closed.complete(null);
        }
    }
}
