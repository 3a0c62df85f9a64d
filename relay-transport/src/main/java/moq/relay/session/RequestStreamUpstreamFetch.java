package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.Map;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamFetch;
import moq.relay.session.request.RequesterSide;
import moq.relay.session.request.RequestContext;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.RequestStreamEnd;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireException;

/**
 * The relay's upstream FETCH on a request-stream draft (18, 20): a standalone FETCH of the engine's range on a request
 * stream of the relay's own, whose FETCH_OK or REQUEST_ERROR it reads; the objects come on the publisher's fetch
 * stream ({@link moq.relay.session.request.UpstreamFetchStream}, which takes this fetch out of {@code table} by its
 * request id). The engine's cancel resets the request stream. Its life is the {@link RequesterSide} the client's FETCH
 * runs too. Event loop.
 */
final class RequestStreamUpstreamFetch implements ControlMessageReader.Sink
{
    private static final long CANCELLED = 0x1;

    private final RequestContext session;
    private final RequestStreamDialect dialect;
    private final ControlMessages messages;
    private final PeerQuirks quirks;
    private final UpstreamFetch fetch;
    private final Map<Long, UpstreamFetch> table;
    private final long requestId;
    private QuicStreamChannel stream;
    private final RequesterSide side = new RequesterSide();

    RequestStreamUpstreamFetch(final RequestContext session, final RequestStreamDialect dialect,
        final ControlMessages messages, final PeerQuirks quirks, final UpstreamFetch fetch,
        final Map<Long, UpstreamFetch> table, final long requestId)
    {
        this.session = session;
        this.dialect = dialect;
        this.messages = messages;
        this.quirks = quirks;
        this.fetch = fetch;
        this.table = table;
        this.requestId = requestId;
    }

    /** Opens the request stream, read by {@code reader} (which reads into this), and sends FETCH. */
    void send(final ChannelHandler reader)
    {
        table.put(requestId, fetch);
        fetch.onCancel(() -> session.onLoop(this::cancel));
        session.transport().openStream(QuicStreamType.BIDIRECTIONAL, reader).addListener(f ->
        {
            if (!f.isSuccess())
            {
                table.remove(requestId);
                fetch.reject(RequestErrorCode.EXCESSIVE_LOAD, "cannot open a request stream to the publisher");
                return;
            }
            stream = (QuicStreamChannel)f.getNow();
            if (fetch.cancelled())
            {
                session.transport().resetStream(stream, CANCELLED);
                return;
            }
            side.sent();
            stream.writeAndFlush(messages.encode(dialect.fetch(requestId, fetch)));
        });
    }

    @Override
    public void onMessage(final ControlMessage m) throws WireException
    {
        if (side.state() != RequesterSide.State.REQUESTED)
        {
            return; // nothing else is expected on a FETCH's stream; what a newer draft adds is not acted on
        }
        final RequestMessage answer = dialect.read(m, quirks);
        if (answer instanceof RequestMessage.FetchOk ok && side.accepted())
        {
            fetch.accept(ok.endOfTrack(), ok.end(), ok.properties());
            return;
        }
        if (answer instanceof RequestMessage.Error e && side.rejected())
        {
            table.remove(requestId);
            fetch.reject(e.code(), e.reason());
            return;
        }
        throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() + " on a FETCH stream");
    }

    @Override
    public void onEnd()
    {
        RequestStreamEnd.finishOwnSide(stream);
        if (side.lostUnanswered())
        {
            table.remove(requestId);
            fetch.reject(RequestErrorCode.INTERNAL_ERROR, "the publisher ended the FETCH's stream unanswered");
        }
    }

    private void cancel()
    {
        table.remove(requestId);
        if (side.cancelled() && stream != null && stream.isActive())
        {
            session.transport().resetStream(stream, CANCELLED);
        }
    }
}
