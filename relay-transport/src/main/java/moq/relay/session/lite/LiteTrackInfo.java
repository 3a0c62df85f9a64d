package moq.relay.session.lite;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import moq.relay.engine.RequestErrorCode;
import moq.relay.session.egress.LiteGroupWriter;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;

/**
 * A lite-05 Track Stream a moq-lite subscriber opened: TRACK is answered with the relay's TRACK_INFO, then FIN.
 * {@code @moq/net} asks for it before every SUBSCRIBE and reads the frame timestamps at its timescale. The relay
 * re-serves every track, whatever its origin (MoQT or moq-lite), with the same properties: priority
 * {@value #PRIORITY} (the middle of the u8 range: MoQT publisher priorities are per object, not per track), ordered,
 * no Max Latency, and the timescale of the relay's own frame timestamps ({@link LiteGroupWriter#TIMESCALE}). The
 * track need not exist yet (a SUBSCRIBE to it waits or is refused by the engine as for MoQT); a path with no
 * namespace is reset with DOES_NOT_EXIST. Event-loop confined.
 */
final class LiteTrackInfo implements LiteMessageSink
{
    static final int PRIORITY = 128;

    private final LiteSession session;
    private final QuicStreamChannel stream;

    LiteTrackInfo(final LiteSession session, final QuicStreamChannel stream)
    {
        this.session = session;
        this.stream = stream;
    }

    void install()
    {
        stream.pipeline().addLast(session.reader(stream, LiteStreamSide.TRACK, this, () -> { }));
    }

    @Override
    public void onMessage(final LiteMessage message)
    {
        final TrackRequest request = (TrackRequest)message; // the side's only message
        if (LitePaths.toNamespace(request.broadcast()) == null)
        {
            session.transport.resetStream(stream, RequestErrorCode.DOES_NOT_EXIST.code());
            return;
        }
        session.send(stream, new TrackInfo(PRIORITY, true, 0, LiteGroupWriter.TIMESCALE));
        stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
    }

    @Override
    public void onEnd()
    {
    }
}
