package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.function.LongSupplier;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.request.RequestContext;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.session.request.UpstreamTracks;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.RequestStreamEnd;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;

/**
 * A request-stream draft's half (18, 20) of a track the peer sends the relay: the relay's SUBSCRIBE on a request stream of its own (whose
 * answers, PUBLISH_DONE and end it reads), or the peer's PUBLISH stream. A new Forward state is a REQUEST_UPDATE on
 * that stream; cancelling resets it. Event loop.
 */
final class RequestStreamUpstreamTrack extends UpstreamTrack implements ControlMessageReader.Sink
{
    private static final long CANCELLED = 0x1;

    private final RequestStreamDialect dialect;
    private final ControlMessages messages;
    private final PeerQuirks quirks;
    /** The relay's next own (odd) request id, shared with the session's other requests. */
    private final LongSupplier ownRequestIds;
    /** Unanswered REQUEST_UPDATEs the peer accepts on one request stream (draft 20), {@code Long.MAX_VALUE}: any. */
    private final long maxUpdates;
    /** The relay's REQUEST_UPDATEs on this track's stream not answered yet. */
    private long unansweredUpdates;
    /** A Forward state held back while the peer's MAX_REQUEST_UPDATES is reached, or null. */
    private Boolean heldForward;
    /** Whether the peer sent GOAWAY on the SUBSCRIBE's stream (draft 20: at most once). */
    private boolean goaway;
    /** The stream of the relay's SUBSCRIBE, once open. */
    private QuicStreamChannel stream;
    /** The peer's PUBLISH stream, for a track it publishes. */
    private QuicStreamChannel publishStream;

    RequestStreamUpstreamTrack(final RequestContext session, final UpstreamTracks table,
        final UpstreamSubscription subscription, final RequestStreamDialect dialect, final ControlMessages messages,
        final PeerQuirks quirks, final long maxUpdates, final LongSupplier ownRequestIds)
    {
        super(session, table, subscription);
        this.maxUpdates = maxUpdates;
        this.dialect = dialect;
        this.messages = messages;
        this.quirks = quirks;
        this.ownRequestIds = ownRequestIds;
    }

    /** Opens the SUBSCRIBE's request stream, read by {@code reader} (which reads into this track), and sends it. */
    void subscribe(final ChannelHandler reader)
    {
        final long requestId = ownRequestIds.getAsLong();
        requestId(requestId);
        session.transport().openStream(QuicStreamType.BIDIRECTIONAL, reader).addListener(f ->
        {
            if (!f.isSuccess())
            {
                rejected(RequestErrorCode.EXCESSIVE_LOAD, "cannot open a request stream");
                return;
            }
            stream = (QuicStreamChannel)f.getNow();
            if (state() == State.ENDED)
            {
                session.transport().resetStream(stream, CANCELLED); // unsubscribed while the stream was opening
                return;
            }
            stream.writeAndFlush(messages.encode(dialect.subscribe(requestId, subscription.track(),
                subscription.forward())));
        });
    }

    /** The peer's PUBLISH {@code requestId} on {@code publishStream}, established in the engine. */
    void published(final long requestId, final long trackAlias, final QuicStreamChannel publishStream)
    {
        this.publishStream = publishStream;
        requestId(requestId);
        published(trackAlias);
    }

    @Override
    public void onMessage(final ControlMessage m) throws WireException
    {
        if (state() == State.ENDED)
        {
            return; // unsubscribed: what was in flight is moot
        }
        final RequestMessage r = dialect.read(m, quirks);
        if (state() == State.REQUESTED && r instanceof RequestMessage.SubscribeOk ok)
        {
            accepted(ok.trackAlias(), ok.largest(), ok.properties());
        }
        else if (state() == State.REQUESTED && r instanceof RequestMessage.Error e)
        {
            rejected(e.code(), e.reason());
        }
        else if (state() == State.ESTABLISHED && r instanceof RequestMessage.Done d)
        {
            publishDone(d.streamCount(), d.status(), d.reason());
        }
        else if (r instanceof RequestMessage.Ok || r instanceof RequestMessage.Error)
        {
            updateAnswered();
        }
        else if (r instanceof RequestMessage.Goaway && !goaway)
        {
            goaway = true; // the publisher migrates this subscription and ends it itself
        }
        else if (!(r instanceof RequestMessage.StateNotify))
        {
            throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                " on a SUBSCRIBE stream");
        }
    }

    @Override
    public void onEnd()
    {
        // The publisher ended its side (after REQUEST_ERROR or PUBLISH_DONE, or cancelling): end ours, so the
        // stream is freed and the publisher's stream credit comes back.
        RequestStreamEnd.finishOwnSide(stream);
        // Streams end before the connection reports its close: decide once the close had its chance to run.
        session.transport().eventLoop().execute(this::lost);
    }

    @Override
    public void forward(final boolean forward)
    {
        final QuicStreamChannel s = stream != null ? stream :
            publishStream != null && !quirks.publishForwardAlways() ? publishStream : null;
        if (s != null && s.isActive())
        {
            if (unansweredUpdates >= maxUpdates)
            {
                heldForward = forward; // sent once an answer gives one back (MAX_REQUEST_UPDATES)
                return;
            }
            unansweredUpdates++;
            s.writeAndFlush(messages.encode(dialect.forwardUpdate(ownRequestIds.getAsLong(), forward)));
        }
    }

    /** The peer answered one of the relay's REQUEST_UPDATEs: a held Forward state may go now. */
    void updateAnswered()
    {
        if (unansweredUpdates > 0)
        {
            unansweredUpdates--;
        }
        final Boolean held = heldForward;
        heldForward = null;
        if (held != null)
        {
            forward(held);
        }
    }

    @Override
    protected void cancelUpstream()
    {
        if (stream != null && stream.isActive())
        {
            session.transport().resetStream(stream, CANCELLED);
        }
        else if (publishStream != null && publishStream.isActive())
        {
            session.transport().resetStream(publishStream, CANCELLED);
        }
    }
}
