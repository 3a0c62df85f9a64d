package moq.relay.session;

import moq.relay.transport.session.MoqTransport;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.Replies;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * The answers to one request of a request-stream draft (18, 20), in its {@link RequestStreamDialect}'s records:
 * messages without a request id on the request's own bidirectional stream, the final one (REQUEST_ERROR, PUBLISH_DONE, a TRACK_STATUS's REQUEST_OK) followed by FIN, and nothing after it. The
 * stream is set once open (a request the relay opens, such as an offered PUBLISH, answers only after that). Event loop.
 */
final class StreamReplies implements Replies
{
    private final RequestStreamDialect dialect;
    private final ControlMessages messages;
    private final PeerQuirks quirks;
    private QuicStreamChannel stream;
    private boolean outputDone;

    StreamReplies(final RequestStreamDialect dialect, final ControlMessages messages, final PeerQuirks quirks,
        final QuicStreamChannel stream)
    {
        this.dialect = dialect;
        this.messages = messages;
        this.quirks = quirks;
        this.stream = stream;
    }

    void stream(final QuicStreamChannel stream)
    {
        this.stream = stream;
    }

    QuicStreamChannel stream()
    {
        return stream;
    }

    @Override
    public void subscribeOk(final long trackAlias, final Location largest, final List<KeyValuePair> properties)
    {
        send(dialect.subscribeOk(trackAlias, largest, properties, quirks));
    }

    @Override
    public void fetchOk(final GroupOrder order, final boolean endOfTrack, final Location end,
        final List<KeyValuePair> properties)
    {
        send(dialect.fetchOk(endOfTrack, end, properties));
    }

    @Override
    public void trackStatus(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
    {
        finish(dialect.trackStatusOk(largest, properties, quirks));
    }

    @Override
    public void ok()
    {
        send(dialect.ok());
    }

    @Override
    public void namespace(final TrackNamespace suffix)
    {
        send(dialect.namespace(suffix));
    }

    @Override
    public void namespaceDone(final TrackNamespace suffix)
    {
        send(dialect.namespaceDone(suffix));
    }

    @Override
    public void error(final RequestErrorCode code, final String reason)
    {
        finish(dialect.requestError(code, reason));
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        finish(dialect.publishDone(status, streamCount, reason));
    }

    @Override
    public void updated()
    {
        send(dialect.ok());
    }

    @Override
    public void updated(final moq.relay.wire.Location largest)
    {
        send(dialect.trackStatusOk(largest, java.util.List.of(), quirks)); // REQUEST_OK, no Track Properties (§9.3)
    }

    @Override
    public void updateRefused(final RequestErrorCode code, final String reason)
    {
        send(dialect.requestError(code, reason));
    }

    @Override
    public void grantExpired(final MoqTransport transport, final TrackNamespace namespace)
    {
        if (!outputDone && stream != null && stream.isActive())
        {
            outputDone = true;
            transport.resetStream(stream, moq.relay.auth.AuthFailure.D18_RESET_EXPIRED_AUTH_TOKEN);
        }
    }

    @Override
    public void end()
    {
        if (!outputDone && stream != null && stream.isActive())
        {
            outputDone = true;
            stream.shutdownOutput();
        }
    }

    private void send(final ControlMessage m)
    {
        if (!outputDone && stream != null)
        {
            stream.writeAndFlush(messages.encode(m));
        }
    }

    /** The last message of the request: write it, then FIN. */
    private void finish(final ControlMessage m)
    {
        if (!outputDone && stream != null)
        {
            outputDone = true;
            stream.writeAndFlush(messages.encode(m)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }
}
