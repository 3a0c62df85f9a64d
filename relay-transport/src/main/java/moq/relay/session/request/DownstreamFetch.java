package moq.relay.session.request;

import moq.relay.auth.Action;
import moq.relay.auth.AuthFailure;
import java.util.List;
import moq.relay.engine.FetchCallback;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.session.egress.FetchStreamWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * The peer's FETCH (standalone or joining), served from the cache on a {@link FetchStreamWriter}'s stream.
 * Its life is {@link AnsweredRequest}'s, FETCH_OK making it ACTIVE; a finished (or failed) fetch is released in the engine, and (draft 18) its request stream ends with it.
 * The peer's cancel resets the fetch stream with CANCELLED. That life is a {@link ResponderSide}, the machine the
 * client's answer to its peer's FETCH runs too ({@code moq.relay.client.FetchServing}). Event loop.
 */
public final class DownstreamFetch extends AnsweredRequest
{
    /** How a draft's FETCH names its range: the engine's request for each of the three fetch types. */
    public enum Type
    {
        STANDALONE,
        RELATIVE_JOINING,
        ABSOLUTE_JOINING
    }

    private FetchStreamWriter writer;

    /** @param ended told once when the request leaves the session's table */
    public DownstreamFetch(final RequestContext session, final long requestId, final Replies replies,
        final Runnable ended)
    {
        super(session, requestId, replies, ended);
    }

    /**
     * The engine's request for a FETCH of {@code type}: a standalone one names {@code track} and its range, a joining
     * one the subscription it joins and how far before its start it reaches.
     */
    public static FetchRequest request(final Type type, final FullTrackName track, final Location start,
        final Location end, final long joiningRequestId, final long joiningStart)
    {
        switch (type)
        {
            case STANDALONE:
                return FetchRequest.standalone(track, start, end);
            case RELATIVE_JOINING:
                return FetchRequest.relativeJoining(joiningRequestId, joiningStart);
            default:
                return FetchRequest.absoluteJoining(joiningRequestId, joiningStart);
        }
    }

    /** Asks the engine for the objects in {@code order}; FETCH_OK or the error follows on the event loop. */
    public void start(final FetchRequest request, final GroupOrder order)
    {
        // A joining FETCH names no track: it reads the track of this session's subscription, which SUBSCRIBE
        // authorized (and whose expiry ends it).
        if (request.track() != null && authorized(Action.FETCH, request.track().namespace(),
            request.track().name()) == null)
        {
            return;
        }
        final FetchStreamWriter w = new FetchStreamWriter(session.transport(), session.engine().egressLoop(),
            session.draft(), requestId, order == GroupOrder.DESCENDING, complete -> streamEnded());
        writer = w;
        session.engine().fetch(requestId, request.withGroupOrder(order), w, new FetchCallback()
        {
            @Override
            public void ok(final boolean endOfTrack, final Location endLocation, final List<KeyValuePair> properties)
            {
                session.onLoop(() ->
                {
                    activate();
                    replies.fetchOk(order, endOfTrack, endLocation, properties);
                    w.start();
                });
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> refused(code, reason));
            }
        });
    }

    /** The fetch stream ended (FIN or reset): the fetch is released in the engine. */
    private void streamEnded()
    {
        super.cancel();
        replies.end();
    }

    /** The grant expired: the fetch stream is reset with the draft's expiry code. */
    @Override
    protected void grantExpired()
    {
        super.cancel();
        if (writer != null)
        {
            writer.cancel(AuthFailure.expiredStreamResetCode(session.draft()));
        }
    }

    @Override
    public void cancel()
    {
        super.cancel();
        if (writer != null)
        {
            writer.cancel();
        }
    }
}
