package moq.relay.session.lite;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.session.egress.LiteGroupWriter;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;

/**
 * A lite-05 Track Stream a moq-lite subscriber opened: TRACK is answered with the relay's TRACK_INFO, then FIN.
 * {@code @moq/net} asks for it before every SUBSCRIBE and reads the frame timestamps at its timescale. The properties
 * are what the relay knows of the track (the engine's TRACK_STATUS: the publisher's track properties, as a MoQT
 * publisher's SUBSCRIBE_OK / PUBLISH gave them or as {@link LiteUpstream} derives them from a moq-lite publisher's
 * SUBSCRIBE_OK): priority 255 - DEFAULT_PUBLISHER_PRIORITY (0x0E), ordered unless DEFAULT_PUBLISHER_GROUP_ORDER
 * (0x22) is descending; where the relay knows none (no such property, or the track not known yet: a SUBSCRIBE to it
 * waits or is refused by the engine as for MoQT) priority {@value #PRIORITY}, the middle of the u8 range, and ordered.
 * No Max Latency; the track's TIMESCALE property (0x915C0, draft-lcurley-moq-timestamp: a MoQT publisher's, or a
 * lite-05 publisher's TRACK_INFO timescale, whose frame timestamps the relay then passes on byte for byte), else the
 * timescale of the relay's own frame timestamps ({@link LiteGroupWriter#TIMESCALE}). A path with
 * no namespace is reset with DOES_NOT_EXIST. Event-loop confined (the engine's answer hops to the loop).
 */
final class LiteTrackInfo implements LiteMessageSink
{
    static final int PRIORITY = 128;
    /** Draft-18 Track Property types: DEFAULT_PUBLISHER_PRIORITY (uint8, lower first) and GROUP_ORDER (1/2). */
    static final long DEFAULT_PUBLISHER_PRIORITY = 0x0E;
    static final long DEFAULT_PUBLISHER_GROUP_ORDER = 0x22;

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
        final moq.relay.wire.TrackNamespace namespace = LitePaths.toNamespace(request.broadcast());
        if (namespace == null)
        {
            session.transport.resetStream(stream, RequestErrorCode.DOES_NOT_EXIST.code());
            return;
        }
        session.engine.trackStatus(new FullTrackName(namespace, Bytes.utf8(request.track())), new TrackStatusCallback()
        {
            @Override
            public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
            {
                session.transport.eventLoop().execute(() -> answer(of(properties)));
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.transport.eventLoop().execute(() -> answer(of(List.of())));
            }
        });
    }

    private void answer(final TrackInfo info)
    {
        if (!stream.isActive())
        {
            return;
        }
        session.send(stream, info);
        stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
    }

    /** TRACK_INFO from a track's properties (none known: the defaults). */
    static TrackInfo of(final List<KeyValuePair> properties)
    {
        int priority = PRIORITY;
        boolean ordered = true;
        for (final KeyValuePair p : properties)
        {
            if (p.isBytes())
            {
                continue;
            }
            if (p.type() == DEFAULT_PUBLISHER_PRIORITY && p.intValue() >= 0 && p.intValue() <= 255)
            {
                priority = 255 - (int)p.intValue();
            }
            else if (p.type() == DEFAULT_PUBLISHER_GROUP_ORDER)
            {
                ordered = p.intValue() != 2;
            }
        }
        final long timescale = LiteTimestamps.timescale(properties);
        return new TrackInfo(priority, ordered, 0, timescale > 0 ? timescale : LiteGroupWriter.TIMESCALE);
    }

    @Override
    public void onEnd()
    {
    }
}
