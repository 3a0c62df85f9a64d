package moq.relay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;

/** The small connection-level handlers the WebTransport layer adds around netty's HTTP/3 handler. */
final class WtConnectionHandlers
{
    private WtConnectionHandlers()
    {
    }

    /**
     * Before {@code Http3ServerConnectionHandler}: puts a {@link WtStreamHeaderDecoder} in front of every
     * peer-opened bidirectional stream, so WT_STREAM (0x41) streams are recognised before the HTTP/3 codec sees
     * them (draft-ietf-webtrans-http3-16 4.3). Always forwards the stream (the pipeline tail registers it).
     */
    static final class BidiStreamSniffing extends ChannelInboundHandlerAdapter
    {
        private final WebTransportConnection connection;

        BidiStreamSniffing(final WebTransportConnection connection)
        {
            this.connection = connection;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof QuicStreamChannel)
            {
                final QuicStreamChannel stream = (QuicStreamChannel)msg;
                if (stream.type() == QuicStreamType.BIDIRECTIONAL && !stream.isLocalCreated())
                {
                    connection.peerBidiStreamOpened(stream.streamId());
                    stream.pipeline().addFirst(new WtStreamHeaderDecoder(connection, true));
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * After {@code Http3ServerConnectionHandler}: QUIC DATAGRAMs (ownership passes to the connection), datagram
     * size and stream credit events, and the connection's end.
     */
    static final class ConnectionEvents extends ChannelInboundHandlerAdapter
    {
        private final WebTransportConnection connection;

        ConnectionEvents(final WebTransportConnection connection)
        {
            this.connection = connection;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof ByteBuf)
            {
                connection.datagramReceived((ByteBuf)msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof QuicDatagramExtensionEvent)
            {
                connection.maxDatagramFrameSize(((QuicDatagramExtensionEvent)evt).maxLength());
            }
            else if (evt instanceof QuicStreamLimitChangedEvent)
            {
                connection.streamLimitChanged();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            connection.connectionClosed();
            ctx.fireChannelInactive();
        }
    }

    /**
     * On the peer's control stream: SETTINGS release the CONNECTs that waited for them, GOAWAY asks every session to
     * wind down. Releases every frame.
     */
    static final class ControlFrames extends ChannelInboundHandlerAdapter
    {
        private final WebTransportConnection connection;

        ControlFrames(final WebTransportConnection connection)
        {
            this.connection = connection;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof Http3SettingsFrame)
            {
                connection.peerSettingsReceived();
            }
            else if (msg instanceof Http3GoAwayFrame)
            {
                connection.peerGoAway();
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
