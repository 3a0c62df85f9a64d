package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.function.LongSupplier;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.request.RequestContext;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.session.request.UpstreamTracks;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.RequestStreamEnd;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.RequestUpdate;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscriptionFilter;

/**
 * Draft 18's half of a track the peer sends the relay: the relay's SUBSCRIBE on a request stream of its own (whose
 * answers, PUBLISH_DONE and end it reads), or the peer's PUBLISH stream. A new Forward state is a REQUEST_UPDATE on
 * that stream; cancelling resets it. Event loop.
 */
final class Draft18UpstreamTrack extends UpstreamTrack implements ControlMessageReader.Sink
{
    private static final long CANCELLED = 0x1;

    private final ControlMessages messages;
    private final PeerQuirks quirks;
    /** The relay's next own (odd) request id, shared with the session's other requests. */
    private final LongSupplier ownRequestIds;
    /** The stream of the relay's SUBSCRIBE, once open. */
    private QuicStreamChannel stream;
    /** The peer's PUBLISH stream, for a track it publishes. */
    private QuicStreamChannel publishStream;

    Draft18UpstreamTrack(final RequestContext session, final UpstreamTracks table,
        final UpstreamSubscription subscription, final ControlMessages messages, final PeerQuirks quirks,
        final LongSupplier ownRequestIds)
    {
        super(session, table, subscription);
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
            final FullTrackName track = subscription.track();
            stream.writeAndFlush(messages.encode(new Subscribe(requestId, track.namespace(), track.name(),
                MessageParameters.of(new Parameter.Forward(subscription.forward()),
                    new Parameter.Filter(SubscriptionFilter.largestObject())))));
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
        if (state() == State.REQUESTED && m instanceof SubscribeOk ok)
        {
            accepted(ok.trackAlias(), ok.largestObject().orElse(null), ok.trackProperties().pairs());
        }
        else if (state() == State.REQUESTED && m instanceof RequestError e)
        {
            rejected(Codes.requestError(e.errorCode()), e.reason().toString());
        }
        else if (state() == State.ESTABLISHED && m instanceof PublishDone d)
        {
            publishDone(d.streamCount(), Codes.publishDone(d.statusCode()), d.reason().toString());
        }
        else if (!(m instanceof RequestOk))
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
            s.writeAndFlush(messages.encode(new RequestUpdate(ownRequestIds.getAsLong(),
                MessageParameters.of(new Parameter.Forward(forward)))));
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
