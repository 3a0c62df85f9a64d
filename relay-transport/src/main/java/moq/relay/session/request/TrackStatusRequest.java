package moq.relay.session.request;

import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.TokenRef;
import java.util.List;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * The peer's TRACK_STATUS, answered from the track's state: {@code REQUESTED --answer--> ENDED}. The engine holds
 * nothing for it, so a cancel only stops the answer. Event loop.
 */
public final class TrackStatusRequest implements PeerRequest
{
    public enum State
    {
        REQUESTED,
        ENDED
    }

    private final RequestContext session;
    private final Replies replies;
    private State state = State.REQUESTED;
    private List<TokenRef> tokens = List.of();

    public TrackStatusRequest(final RequestContext session, final Replies replies)
    {
        this.session = session;
        this.replies = replies;
    }

    public State state()
    {
        return state;
    }

    @Override
    public boolean updateIsViolation()
    {
        return true;
    }

    /** The request's AUTHORIZATION TOKENs, before it starts. */
    public TrackStatusRequest tokens(final List<TokenRef> requestTokens)
    {
        tokens = List.copyOf(requestTokens);
        return this;
    }

    public void start(final FullTrackName track)
    {
        if (session.auth().authorize(AuthRequest.of(Action.TRACK_STATUS, track.namespace(), track.name()), tokens,
            (code, reason) ->
            {
                state = State.ENDED;
                replies.error(code, reason);
            }) == null)
        {
            state = State.ENDED;
            return;
        }
        session.engine().trackStatus(track, new TrackStatusCallback()
        {
            @Override
            public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
            {
                session.onLoop(() ->
                {
                    state = State.ENDED;
                    replies.trackStatus(largest, endOfTrack, properties);
                });
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() ->
                {
                    state = State.ENDED;
                    replies.error(code, reason);
                });
            }
        });
    }

    @Override
    public void cancel()
    {
        state = State.ENDED;
    }
}
