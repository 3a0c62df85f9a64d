package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.List;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.session.UniStreamClassifier;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.data.StreamType;

/**
 * The ceiling sender's side of one subscriber connection: just enough MoQT to serve our subscriber clients. It
 * answers the setup of either draft and answers SUBSCRIBE for a generated track with SUBSCRIBE_OK (anything else it
 * ignores); the subscriber is then handed to the track's generator. No namespaces, no routing, no cache, no engine.
 */
final class CeilingSession extends ChannelInboundHandlerAdapter implements TransportSession
{
    /** MAX_REQUEST_ID granted to draft-14 clients: enough for any run's subscriptions. */
    private static final long MAX_REQUEST_ID = 1L << 20;
    /** Draft-18 REQUEST_ERROR code DOES_NOT_EXIST; draft-14 SUBSCRIBE_ERROR TRACK_DOES_NOT_EXIST. */
    private static final long DOES_NOT_EXIST = moq.relay.wire.d18.RequestErrorCode.DOES_NOT_EXIST;
    private static final long D14_TRACK_DOES_NOT_EXIST = 0x4;

    private final QuicChannel connection;
    private final Draft draft;
    private final ControlCodec codec;
    private final CeilingServer server;
    private QuicStreamChannel control;

    CeilingSession(final QuicChannel connection, final Draft draft, final CeilingServer server)
    {
        this.connection = connection;
        this.draft = draft;
        this.codec = draft == Draft.DRAFT_18 ? Draft18ControlCodec.INSTANCE : Draft14ControlCodec.INSTANCE;
        this.server = server;
    }

    @Override
    public void goAway(final String newSessionUri)
    {
        connection.close();
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (draft == Draft.DRAFT_18)
        {
            connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .addListener(f ->
                {
                    if (f.isSuccess())
                    {
                        control = (QuicStreamChannel)f.getNow();
                        control.writeAndFlush(encode(new moq.relay.wire.d18.Setup(List.of(KeyValuePair.ofBytes(
                            SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("moq-load-ceiling"))))));
                    }
                });
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        server.disconnected(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof QuicStreamChannel)
        {
            final QuicStreamChannel stream = (QuicStreamChannel)msg;
            if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
            {
                stream.pipeline().addLast(new UniStreamClassifier(draft.varint(), type -> route(stream, type)));
            }
            else
            {
                stream.pipeline().addLast(reader(stream));
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf)
        {
            // A datagram: not part of the benchmark.
            ((ByteBuf)msg).release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private ChannelHandler route(final QuicStreamChannel stream, final long type)
    {
        return StreamType.of(draft, type) == StreamType.SETUP ? reader(stream) : null;
    }

    private ControlMessageReader reader(final QuicStreamChannel stream)
    {
        return new ControlMessageReader(codec, new ControlMessageReader.Sink()
        {
            @Override
            public void onMessage(final ControlMessage m)
            {
                onClientMessage(stream, m);
            }

            @Override
            public void onEnd()
            {
            }
        }, e -> connection.close(true, (int)e.error().code(), Unpooled.EMPTY_BUFFER));
    }

    private void onClientMessage(final QuicStreamChannel stream, final ControlMessage m)
    {
        if (m instanceof moq.relay.wire.d14.ClientSetup)
        {
            control = stream;
            stream.writeAndFlush(encode(new moq.relay.wire.d14.ServerSetup(Draft.DRAFT_14.version(),
                moq.relay.wire.d14.SetupParameters.builder().maxRequestId(MAX_REQUEST_ID).build())));
        }
        else if (m instanceof moq.relay.wire.d18.Subscribe)
        {
            final moq.relay.wire.d18.Subscribe sub = (moq.relay.wire.d18.Subscribe)m;
            final GeneratedTrack track = server.track(sub.namespace(), sub.trackName());
            if (track == null)
            {
                stream.writeAndFlush(encode(moq.relay.wire.d18.RequestError.of(DOES_NOT_EXIST, 0,
                    Bytes.utf8("no such track")))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                return;
            }
            stream.writeAndFlush(encode(new moq.relay.wire.d18.SubscribeOk(track.alias,
                moq.relay.wire.d18.MessageParameters.EMPTY, moq.relay.wire.param.Properties.EMPTY)));
            server.subscribed(track, connection, draft);
        }
        else if (m instanceof moq.relay.wire.d14.Subscribe)
        {
            final moq.relay.wire.d14.Subscribe sub = (moq.relay.wire.d14.Subscribe)m;
            final GeneratedTrack track = server.track(sub.trackNamespace(), sub.trackName());
            if (track == null)
            {
                control.writeAndFlush(encode(new moq.relay.wire.d14.SubscribeError(sub.requestId(),
                    D14_TRACK_DOES_NOT_EXIST, Bytes.utf8("no such track"))));
                return;
            }
            control.writeAndFlush(encode(new moq.relay.wire.d14.SubscribeOk(sub.requestId(), track.alias, 0,
                moq.relay.wire.d14.GroupOrder.ASCENDING, null, moq.relay.wire.d14.MessageParameters.EMPTY)));
            server.subscribed(track, connection, draft);
        }
    }

    private ByteBuf encode(final ControlMessage m)
    {
        final WireWriter w = new WireWriter(draft.varint());
        codec.encode(m, w);
        return Unpooled.copiedBuffer(w.buffer().byteArray(), 0, w.position());
    }

    static String trackId(final TrackNamespace namespace, final Bytes name)
    {
        return namespace + "|" + name.utf8();
    }
}
