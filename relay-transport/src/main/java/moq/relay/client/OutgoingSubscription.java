package moq.relay.client;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.List;

/** One subscriber of a {@link TrackPublisher}: from an incoming SUBSCRIBE or our accepted PUBLISH. Event-loop confined. */
final class OutgoingSubscription
{
    final TrackPublisher track;
    final long requestId;
    final long trackAlias;
    /** Draft-18 request stream (responses and PUBLISH_DONE go there); null on draft-14. */
    final QuicStreamChannel requestStream;
    final List<OutStream> openStreams = new ArrayList<>();
    long streamCount;
    boolean active = true;

    OutgoingSubscription(final TrackPublisher track, final long requestId, final long trackAlias,
        final QuicStreamChannel requestStream)
    {
        this.track = track;
        this.requestId = requestId;
        this.trackAlias = trackAlias;
        this.requestStream = requestStream;
    }
}
