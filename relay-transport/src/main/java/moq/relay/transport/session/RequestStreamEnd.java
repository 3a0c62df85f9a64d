package moq.relay.transport.session;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Ends this endpoint's side of a draft-18 request stream once the peer ended its own (FIN or RESET_STREAM): whatever
 * ended the request (a cancel, REQUEST_ERROR, PUBLISH_DONE, a finished FETCH), nothing more will be sent on it. QUIC
 * frees a stream, and returns its credit to the peer with MAX_STREAMS, only once both directions are closed, so a
 * side left open leaks one stream of the peer's grant per request until the peer's requests (or ours) stall.
 */
public final class RequestStreamEnd
{
    private RequestStreamEnd()
    {
    }

    /**
     * FINs {@code stream} after whatever is still queued on it (a shutdown would cut queued writes short), unless its
     * output is already closed or it is gone. Event-loop thread of the stream.
     */
    public static void finishOwnSide(final QuicStreamChannel stream)
    {
        if (stream != null && stream.isActive() && !stream.isOutputShutdown())
        {
            stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
        }
    }

    /** {@code sink}, whose {@link ControlMessageReader.Sink#onEnd} then finishes our side of {@code stream}. */
    public static ControlMessageReader.Sink finishingOwnSide(final ControlMessageReader.Sink sink,
        final java.util.function.Supplier<QuicStreamChannel> stream)
    {
        return new ControlMessageReader.Sink()
        {
            @Override
            public void onMessage(final moq.relay.wire.ControlMessage message) throws moq.relay.wire.WireException
            {
                sink.onMessage(message);
            }

            @Override
            public void onEnd()
            {
                sink.onEnd();
                finishOwnSide(stream.get());
            }
        };
    }
}
