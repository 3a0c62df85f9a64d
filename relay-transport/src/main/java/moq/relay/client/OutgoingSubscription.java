package moq.relay.client;

import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import moq.relay.session.request.PublisherSide;

/**
 * One subscriber of a {@link TrackPublisher}: from an incoming SUBSCRIBE or our PUBLISH. Its life is the
 * {@link PublisherSide} the relay's downstream subscriptions run (objects only while ACTIVE, a cancel after
 * PUBLISH_DONE is none). Event-loop confined.
 */
final class OutgoingSubscription
{
    final TrackPublisher track;
    final long requestId;
    final long trackAlias;
    /** Draft-18 request stream (responses and PUBLISH_DONE go there), once open; null on draft-14. */
    QuicStreamChannel requestStream;
    final PublisherSide side;
    /** Our PUBLISH: completes when the peer accepts it; null for an incoming SUBSCRIBE. */
    final CompletableFuture<Void> offer;
    final List<OutStream> openStreams = new ArrayList<>();
    long streamCount;

    /** The subscriber side of an incoming SUBSCRIBE, not answered yet. */
    OutgoingSubscription(final TrackPublisher track, final long requestId, final long trackAlias,
        final QuicStreamChannel requestStream)
    {
        this(track, requestId, trackAlias, requestStream, PublisherSide.requested(), null);
    }

    /** Our PUBLISH of {@code track}, offered; {@code offer} completes when the peer accepts it. */
    OutgoingSubscription(final TrackPublisher track, final long requestId, final long trackAlias,
        final CompletableFuture<Void> offer)
    {
        this(track, requestId, trackAlias, null, PublisherSide.offered(), offer);
    }

    private OutgoingSubscription(final TrackPublisher track, final long requestId, final long trackAlias,
        final QuicStreamChannel requestStream, final PublisherSide side, final CompletableFuture<Void> offer)
    {
        this.track = track;
        this.requestId = requestId;
        this.trackAlias = trackAlias;
        this.requestStream = requestStream;
        this.side = side;
        this.offer = offer;
    }
}
