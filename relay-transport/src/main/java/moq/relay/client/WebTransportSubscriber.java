package moq.relay.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.ServerSetup;
import moq.relay.wire.d14.SetupParameters;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeError;
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.d14.SubscriptionFilter;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A minimal draft-14 MoQT subscriber over WebTransport, as a browser's {@code @moq} client with {@code protocols: []}
 * speaks it: an HTTP/3 connection (netty's HTTP/3 client), an extended CONNECT ({@code :protocol webtransport}, no
 * {@code wt-available-protocols}, so draft 14), CLIENT_SETUP and SUBSCRIBEs on one WebTransport bidi stream
 * ({@code 0x41}, session id), then the relay's subgroup streams ({@code 0x54}, session id) decoded and their objects
 * counted, and its datagrams (quarter stream id) counted; payloads are dropped. It exists so the relay's start-up warm-up can run the
 * relay's WebTransport layer; it has no publishing, no FETCH and no request flow control beyond the relay's initial
 * MAX_REQUEST_ID.
 *
 * <p>Everything runs on the connection's event loop; the counters are written only there (one writer, so a volatile
 * increment is safe) and may be read from any thread.
 * Buffer ownership: every buffer read is released here before the read returns; nothing is kept.
 */
public final class WebTransportSubscriber implements AutoCloseable
{
    /** Draft-02 SETTINGS_ENABLE_WEBTRANSPORT: the relay requires it (and H3_DATAGRAM) of a WebTransport client. */
    private static final long ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;
    /** WebTransport stream types (draft-ietf-webtrans-http3 4.1, 4.2). */
    private static final long WT_BIDI = 0x41;
    private static final long WT_UNI = 0x54;
    private static final long INITIAL_MAX_DATA = 64L << 20;
    private static final long INITIAL_MAX_STREAM_DATA = 16L << 20;
    private static final int MAX_PROPERTIES_LENGTH = 4096;

    private final Channel socket;
    private final QuicChannel quic;
    private final QuicStreamChannel connect;
    private final QuicStreamChannel control;
    private final ControlReader controlReader;
    private long nextRequestId;
    private volatile long streamObjects;
    private volatile long datagrams;
    private volatile long bytes;

    private WebTransportSubscriber(final Channel socket, final QuicChannel quic, final QuicStreamChannel connect,
        final QuicStreamChannel control, final ControlReader controlReader)
    {
        this.socket = socket;
        this.quic = quic;
        this.connect = connect;
        this.control = control;
        this.controlReader = controlReader;
    }

    /**
     * Connects to {@code host:port} on one event loop of {@code group} (the caller's, shut down by the caller), opens
     * a WebTransport session on {@code path} and exchanges the draft-14 setup; blocks up to {@code timeoutNanos}. On
     * failure everything opened is closed again.
     */
    public static WebTransportSubscriber connect(final String host, final int port, final String path,
        final ClientTrust trust, final EventLoopGroup group, final long timeoutNanos) throws Exception
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        final Holder holder = new Holder();
        final Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
            .handler(Http3.newQuicClientCodecBuilder()
                .sslContext(trust.sslContext("h3"))
                .maxIdleTimeout(30_000, TimeUnit.MILLISECONDS)
                .initialMaxData(INITIAL_MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(100)
                .initialMaxStreamsUnidirectional(10_000)
                .datagram(1024, 1024)
                .build())
            .bind(new InetSocketAddress(host, 0)).sync().channel();
        QuicChannel quic = null;
        try
        {
            final Http3Settings settings = new Http3Settings((id, v) -> true).enableH3Datagram(true);
            settings.put(ENABLE_WEBTRANSPORT_DRAFT02, 1L);
            quic = QuicChannel.newBootstrap(socket)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void handlerAdded(final ChannelHandlerContext ctx)
                    {
                        ctx.pipeline().addLast(new Http3ClientConnectionHandler(new Discard(), null,
                            type -> type == WT_UNI ? new DataStreamCounter(holder) : new Discard(),
                            new DefaultHttp3SettingsFrame(settings), true, (id, v) -> true),
                            new DatagramCounter(holder));
                        ctx.pipeline().remove(this);
                    }
                })
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    left(deadline))))
                .remoteAddress(new InetSocketAddress(host, port))
                .connect().get(left(deadline), TimeUnit.NANOSECONDS);

            final CompletableFuture<Http3Headers> response = new CompletableFuture<>();
            final QuicStreamChannel connect = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler()
            {
                @Override
                protected void channelRead(final ChannelHandlerContext ctx, final Http3HeadersFrame frame)
                {
                    response.complete(frame.headers());
                }

                @Override
                protected void channelRead(final ChannelHandlerContext ctx, final Http3DataFrame frame)
                {
                    frame.release(); // capsules: none the warm-up needs
                }

                @Override
                protected void channelInputClosed(final ChannelHandlerContext ctx)
                {
                    response.completeExceptionally(new IllegalStateException("CONNECT stream closed"));
                }
            }).get(left(deadline), TimeUnit.NANOSECONDS);
            final Http3Headers headers = new DefaultHttp3Headers()
                .method("CONNECT").protocol("webtransport").scheme("https").authority(host).path(path);
            headers.set("sec-webtransport-http3-draft02", "1");
            connect.writeAndFlush(new DefaultHttp3HeadersFrame(headers));
            final CharSequence status = response.get(left(deadline), TimeUnit.NANOSECONDS).status();
            if (status == null || !"200".contentEquals(status))
            {
                throw new IllegalStateException("CONNECT answered " + status);
            }

            final long sessionId = connect.streamId();
            final ControlReader reader = new ControlReader();
            final QuicStreamChannel control = quic.createStream(QuicStreamType.BIDIRECTIONAL, reader)
                .get(left(deadline), TimeUnit.NANOSECONDS);
            final WebTransportSubscriber client = new WebTransportSubscriber(socket, quic, connect, control, reader);
            holder.client = client;
            final ByteBuf header = Unpooled.buffer(16);
            writeVarint(header, WT_BIDI);
            writeVarint(header, sessionId);
            control.write(header);
            control.writeAndFlush(encode(new ClientSetup(List.of(Draft.DRAFT_14.version()), SetupParameters.EMPTY)));
            reader.setup.get(left(deadline), TimeUnit.NANOSECONDS);
            return client;
        }
        catch (final Exception | Error e)
        {
            if (quic != null)
            {
                quic.close();
            }
            socket.close();
            throw e;
        }
    }

    /** SUBSCRIBE (largest object onwards); completes at SUBSCRIBE_OK, fails at SUBSCRIBE_ERROR. Thread-safe. */
    public CompletableFuture<Void> subscribe(final TrackNamespace namespace, final Bytes track)
    {
        final CompletableFuture<Void> ok = new CompletableFuture<>();
        control.eventLoop().execute(() ->
        {
            final long requestId = nextRequestId;
            nextRequestId += 2; // a client's request ids are even
            controlReader.pending.put(requestId, ok);
            control.writeAndFlush(encode(new Subscribe(requestId, namespace, track, 128, GroupOrder.PUBLISHER_DEFAULT,
                true, SubscriptionFilter.largestObject(), MessageParameters.EMPTY)));
        });
        return ok;
    }

    /** Objects with a payload received on subgroup streams. */
    public long streamObjects()
    {
        return streamObjects;
    }

    /** Objects received as datagrams. */
    public long datagrams()
    {
        return datagrams;
    }

    /** Payload bytes received, streams and datagrams. */
    public long bytes()
    {
        return bytes;
    }

    /** Closes the QUIC connection (no WebTransport close capsule: the whole connection goes) and the socket. */
    @Override
    public void close()
    {
        connect.close();
        quic.close();
        socket.close();
    }

    private static long left(final long deadline)
    {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** A QUIC variable-length integer (RFC 9000 16), in the shortest form. */
    private static void writeVarint(final ByteBuf out, final long value)
    {
        if (value < 1L << 6)
        {
            out.writeByte((int)value);
        }
        else if (value < 1L << 14)
        {
            out.writeShort((int)value | 0x4000);
        }
        else if (value < 1L << 30)
        {
            out.writeInt((int)value | 0x8000_0000);
        }
        else
        {
            out.writeLong(value | 0xC000_0000_0000_0000L);
        }
    }

    private static ByteBuf encode(final ControlMessage message)
    {
        final WireWriter w = new WireWriter(Draft.DRAFT_14.varint());
        Draft14ControlCodec.INSTANCE.encode(message, w);
        return Unpooled.copiedBuffer(w.buffer().byteArray(), 0, w.position());
    }

    /** The client, once created: the stream handlers are made before it exists. */
    private static final class Holder
    {
        volatile WebTransportSubscriber client;
    }

    /** Releases what it reads. */
    private static final class Discard extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The control stream's messages: SERVER_SETUP, then the SUBSCRIBE answers; the rest is ignored. */
    private static final class ControlReader extends ChannelInboundHandlerAdapter
    {
        final CompletableFuture<Void> setup = new CompletableFuture<>();
        final Map<Long, CompletableFuture<Void>> pending = new HashMap<>();
        private final ByteBuf held = Unpooled.buffer();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            held.writeBytes(buf);
            buf.release();
            try
            {
                while (held.isReadable())
                {
                    final byte[] bytes = new byte[held.readableBytes()]; // control traffic only: a few messages
                    held.getBytes(held.readerIndex(), bytes);
                    final UnsafeBuffer view = new UnsafeBuffer(bytes);
                    final int length = ControlFramer.frameLength(Draft.DRAFT_14.varint(), view, 0, bytes.length);
                    if (length == ControlFramer.NEED_MORE)
                    {
                        break;
                    }
                    on(Draft14ControlCodec.INSTANCE.decode(view, 0, length));
                    held.skipBytes(length);
                }
                held.discardReadBytes();
            }
            catch (final WireException e)
            {
                fail(e);
                ctx.close();
            }
        }

        private void on(final ControlMessage message)
        {
            if (message instanceof ServerSetup)
            {
                setup.complete(null);
            }
            else if (message instanceof SubscribeOk)
            {
                final CompletableFuture<Void> ok = pending.remove(((SubscribeOk)message).requestId());
                if (ok != null)
                {
                    ok.complete(null);
                }
            }
            else if (message instanceof SubscribeError)
            {
                final SubscribeError error = (SubscribeError)message;
                final CompletableFuture<Void> ok = pending.remove(error.requestId());
                if (ok != null)
                {
                    ok.completeExceptionally(new IllegalStateException("SUBSCRIBE_ERROR " + error.errorCode()));
                }
            }
        }

        private void fail(final Throwable e)
        {
            setup.completeExceptionally(e);
            pending.values().forEach(f -> f.completeExceptionally(e));
            pending.clear();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            fail(new IllegalStateException("control stream closed"));
            held.release();
            ctx.fireChannelInactive();
        }
    }

    /** QUIC datagrams of the session: each an object datagram after the quarter stream id; counted, not decoded. */
    private static final class DatagramCounter extends ChannelInboundHandlerAdapter
    {
        private final Holder holder;

        DatagramCounter(final Holder holder)
        {
            this.holder = holder;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof ByteBuf)
            {
                final WebTransportSubscriber client = holder.client;
                if (client != null)
                {
                    client.datagrams++;
                    client.bytes += ((ByteBuf)msg).readableBytes();
                }
                ((ByteBuf)msg).release();
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * One of the relay's WebTransport uni streams, after netty's HTTP/3 layer read its 0x54 type: the session id
     * (skipped), then a MoQT subgroup stream, decoded by {@link DataStreamDecoder} from its first byte.
     */
    private static final class DataStreamCounter extends ChannelInboundHandlerAdapter implements DataStreamHandler
    {
        private final Holder holder;
        private final ByteBufChunks chunks = new ByteBufChunks(0);
        private final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_14, this, MAX_PROPERTIES_LENGTH);
        /** Bytes of the session id varint still to skip; -1 before its first byte. */
        private int sessionIdLeft = -1;
        private boolean failed;

        DataStreamCounter(final Holder holder)
        {
            this.holder = holder;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            try
            {
                if (sessionIdLeft < 0 && buf.isReadable())
                {
                    sessionIdLeft = 1 << ((buf.getByte(buf.readerIndex()) & 0xFF) >> 6);
                }
                final int skip = Math.min(Math.max(sessionIdLeft, 0), buf.readableBytes());
                buf.skipBytes(skip);
                sessionIdLeft -= skip;
                if (!failed && buf.isReadable())
                {
                    chunks.feed(buf, decoder);
                }
            }
            catch (final WireException e)
            {
                failed = true; // not the warm-up's business: the rest of the stream is dropped
            }
            finally
            {
                buf.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                ctx.close(); // receive-only: done at FIN
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            decoder.close();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // a reset stream: nothing to count
        }

        @Override
        public void onSubgroupHeader(final SubgroupHeader header)
        {
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            return false;
        }

        @Override
        public void onObjectHeader(final ObjectHeader header)
        {
            final WebTransportSubscriber client = holder.client;
            if (client != null && header.payloadLength() > 0)
            {
                client.streamObjects++;
            }
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            final WebTransportSubscriber client = holder.client;
            if (client != null)
            {
                client.bytes += length;
            }
        }

        @Override
        public void onObjectEnd()
        {
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
        }

        @Override
        public void onStreamEnd()
        {
        }
    }
}
