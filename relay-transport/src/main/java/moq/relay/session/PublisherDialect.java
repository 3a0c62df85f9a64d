package moq.relay.session;

import java.util.List;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;

/**
 * A draft's dialect in the publisher's role, for a publisher that is not the relay's session (the client,
 * {@code moq.relay.client}, answering its peer's SUBSCRIBE and FETCH): the peer's FETCH read, and SUBSCRIBE_OK,
 * FETCH_OK and the request errors encoded, by the relay's own dialect of the draft ({@link RequestStreamDialect},
 * {@link ControlStreamDialect}), so a fix to how a draft reads a FETCH or writes an answer lands in both. Stateless.
 */
public abstract class PublisherDialect
{
    /** A standalone FETCH of the peer: its track and range ({@code end} in FETCH's draft-18 encoding). */
    public record PeerFetch(long requestId, FullTrackName track, Location start, Location end)
    {
    }

    private PublisherDialect()
    {
    }

    /** The dialect of {@code draft} (its request-stream or control-stream shape). */
    public static PublisherDialect of(final Draft draft)
    {
        if (draft.atLeast(20))
        {
            return new RequestStream(Draft20Dialect.INSTANCE);
        }
        return draft.atLeast(18) ? new RequestStream(Draft18Dialect.INSTANCE) :
            new ControlStream(Draft14Dialect.INSTANCE);
    }

    /**
     * The standalone FETCH {@code m} is, as the relay reads it; null for another message, a joining FETCH or a FETCH
     * the draft's dialect refuses (a range it does not serve).
     *
     * @throws WireException a message the draft makes a session error in itself
     */
    public abstract PeerFetch fetch(ControlMessage m) throws WireException;

    /**
     * SUBSCRIBE_OK of the peer's SUBSCRIBE {@code requestId} under {@code trackAlias} with the track's
     * {@code properties}; {@code largest} may be null.
     */
    public abstract ControlMessage subscribeOk(long requestId, long trackAlias, Location largest,
        List<KeyValuePair> properties);

    /** FETCH_OK of the peer's FETCH {@code requestId}, ascending, {@code end} in FETCH's draft-18 encoding. */
    public abstract ControlMessage fetchOk(long requestId, boolean endOfTrack, Location end);

    /** The error answer of the peer's request {@code requestId} of {@code kind}, in the draft's message and codes. */
    public abstract ControlMessage error(RequestKind kind, long requestId, RequestErrorCode code, String reason);

    private static PeerFetch standalone(final RequestMessage r)
    {
        if (r instanceof RequestMessage.Fetch f && f.fetch().type() == FetchRequest.Type.STANDALONE)
        {
            return new PeerFetch(f.requestId(), f.fetch().track(), f.fetch().start(), f.fetch().end());
        }
        return null;
    }

    /** Drafts 18 and 20: answers on the request's own stream, without request ids. */
    private static final class RequestStream extends PublisherDialect
    {
        private final RequestStreamDialect dialect;

        RequestStream(final RequestStreamDialect dialect)
        {
            this.dialect = dialect;
        }

        @Override
        public PeerFetch fetch(final ControlMessage m) throws WireException
        {
            return standalone(dialect.read(m, PeerQuirks.NONE));
        }

        @Override
        public ControlMessage subscribeOk(final long requestId, final long trackAlias, final Location largest,
            final List<KeyValuePair> properties)
        {
            return dialect.subscribeOk(trackAlias, largest, properties, PeerQuirks.NONE);
        }

        @Override
        public ControlMessage fetchOk(final long requestId, final boolean endOfTrack, final Location end)
        {
            return dialect.fetchOk(endOfTrack, end, List.of());
        }

        @Override
        public ControlMessage error(final RequestKind kind, final long requestId, final RequestErrorCode code,
            final String reason)
        {
            return dialect.requestError(code, reason);
        }
    }

    /** Draft 14: answers on the control stream, by request id, each kind in its own message and code table. */
    private static final class ControlStream extends PublisherDialect
    {
        private final ControlStreamDialect dialect;

        ControlStream(final ControlStreamDialect dialect)
        {
            this.dialect = dialect;
        }

        @Override
        public PeerFetch fetch(final ControlMessage m) throws WireException
        {
            return dialect.read(m, PeerQuirks.NONE) instanceof ControlStreamMessage.Request r ?
                standalone(r.opening()) : null;
        }

        @Override
        public ControlMessage subscribeOk(final long requestId, final long trackAlias, final Location largest,
            final List<KeyValuePair> properties)
        {
            return dialect.subscribeOk(requestId, trackAlias, largest, properties);
        }

        @Override
        public ControlMessage fetchOk(final long requestId, final boolean endOfTrack, final Location end)
        {
            return dialect.fetchOk(requestId, GroupOrder.ASCENDING, endOfTrack, end, List.of());
        }

        @Override
        public ControlMessage error(final RequestKind kind, final long requestId, final RequestErrorCode code,
            final String reason)
        {
            return dialect.error(kind, requestId, code, reason);
        }
    }
}
