package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
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
 * speaks it: an HTTP/3 connection ({@link WebTransportClientConnection}), an extended CONNECT ({@code :protocol webtransport}, no
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
    private static final int MAX_PROPERTIES_LENGTH = 4096;

    private final WebTransportClientConnection connection;
    private final QuicStreamChannel control;
    private final ControlReader controlReader;
    private long nextRequestId;
    private volatile long streamObjects;
    private volatile long datagrams;
    private volatile long bytes;

    private WebTransportSubscriber(final WebTransportClientConnection connection, final QuicStreamChannel control,
        final ControlReader controlReader)
    {
        this.connection = connection;
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
        final WebTransportClientConnection connection = WebTransportClientConnection.open(host, port, path, List.of(),
            trust, group, () -> new DataStreamCounter(holder), new DatagramCounter(holder), timeoutNanos);
        try
        {
            final ControlReader reader = new ControlReader();
            final QuicStreamChannel control = connection.openBidi(reader).get(left(deadline), TimeUnit.NANOSECONDS);
            final WebTransportSubscriber client = new WebTransportSubscriber(connection, control, reader);
            holder.client = client;
            control.writeAndFlush(encode(new ClientSetup(List.of(Draft.DRAFT_14.version()), SetupParameters.EMPTY)));
            reader.setup.get(left(deadline), TimeUnit.NANOSECONDS);
            return client;
        }
        catch (final Exception | Error e)
        {
            connection.close();
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
        connection.close();
    }

    private static long left(final long deadline)
    {
        return Math.max(0, deadline - System.nanoTime());
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
     * One of the relay's WebTransport uni streams, after its 0x54 type and session id: a MoQT subgroup stream, decoded
     * by {@link DataStreamDecoder} from its first byte.
     */
    private static final class DataStreamCounter extends ChannelInboundHandlerAdapter implements DataStreamHandler
    {
        private final Holder holder;
        private final ByteBufChunks chunks = new ByteBufChunks(0);
        private final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_14, this, MAX_PROPERTIES_LENGTH);
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
