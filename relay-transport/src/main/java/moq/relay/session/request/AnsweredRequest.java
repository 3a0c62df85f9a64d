package moq.relay.session.request;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Grant;
import moq.relay.auth.TokenRef;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.engine.RequestErrorCode;

/**
 * The life a request of the peer that the engine answers shares with the others (SUBSCRIBE, FETCH,
 * PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS):
 * <pre>
 * REQUESTED --engine ok--> ACTIVE --its end / peer cancel--> ENDED
 *     +--engine error / peer cancel--> ENDED
 * </pre>
 * ENDED is final: an answer that arrives later changes nothing, and the request leaves its session's table exactly
 * once. The states are the {@link ResponderSide}'s, the machine the client's answer to a FETCH runs too. Event loop.
 */
public abstract class AnsweredRequest implements PeerRequest
{
    protected final RequestContext session;
    protected final long requestId;
    protected final Replies replies;
    private final Runnable ended;
    private final ResponderSide side = new ResponderSide();
    /** The AUTHORIZATION TOKENs the request carried (set by the session before it starts the request). */
    private List<TokenRef> tokens = List.of();
    /** What {@link #authorized} checked, for the request's updates; null when nothing was. */
    private AuthRequest authRequest;
    /** Ends the request when the grant that allowed it expires; null when none does. */
    private ScheduledFuture<?> expiry;

    /** @param ended told once when the request leaves the session's table (refused, ended, cancelled) */
    protected AnsweredRequest(final RequestContext session, final long requestId, final Replies replies,
        final Runnable ended)
    {
        this.session = session;
        this.requestId = requestId;
        this.replies = replies;
        this.ended = ended;
    }

    public final ResponderSide.State state()
    {
        return side.state();
    }

    public final long requestId()
    {
        return requestId;
    }

    /** The request's AUTHORIZATION TOKENs, before it starts (none: the session's own credentials decide). */
    public final void tokens(final List<TokenRef> requestTokens)
    {
        tokens = List.copyOf(requestTokens);
    }

    /**
     * Asks the session's authorization whether the request may go on ({@link SessionAuth#authorize}); false once it
     * was refused (its error answer sent) or the session closed. When the grant allowing it expires,
     * {@link #grantExpired} ends it.
     *
     * @return the grant that allows the request, or null once refused
     */
    protected final Grant authorized(final Action action, final TrackNamespace namespace, final Bytes track)
    {
        authRequest = AuthRequest.of(action, namespace, track);
        final Grant grant = session.auth().authorize(authRequest, tokens, this::refused);
        if (grant == null)
        {
            leave();
            return null;
        }
        expiry = session.auth().atExpiry(grant, () ->
        {
            if (side.state() != ResponderSide.State.ENDED && !session.closed())
            {
                grantExpired();
            }
        });
        return grant;
    }

    /**
     * An update's (REQUEST_UPDATE, SUBSCRIBE_UPDATE) AUTHORIZATION TOKENs, through the cache and authorized with the
     * action of the request it updates (docs/auth.md). Without tokens the request's authorization stands; the
     * request's expiry does not change. False once the update was refused (draft 18: REQUEST_ERROR; draft 14 has no
     * answer) or alias misuse closed the session.
     */
    @Override
    public final boolean updateAuthorized(final List<TokenRef> updateTokens)
    {
        if (updateTokens.isEmpty() || authRequest == null)
        {
            return true;
        }
        return session.auth().authorize(authRequest, updateTokens, replies::updateRefused) != null;
    }

    /**
     * The grant that allowed the request expired (docs/auth.md, "Expiry"): it ends, and nothing else in the session.
     * By default the engine releases it and the peer is told as its draft can ({@link Replies#grantExpired}).
     */
    protected void grantExpired()
    {
        cancel();
        replies.grantExpired(session.transport(), null);
    }

    /** The engine accepted the request: REQUESTED becomes ACTIVE; false if it had ended meanwhile. */
    protected final boolean activate()
    {
        return side.accepted();
    }

    /** The engine refused the request: its error answer, unless it had ended meanwhile. */
    protected void refused(final RequestErrorCode code, final String reason)
    {
        if (leave())
        {
            replies.error(code, reason);
        }
    }

    /** Moves to ENDED and leaves the session's table; false if the request had ended before. */
    protected final boolean leave()
    {
        if (!side.ended())
        {
            return false;
        }
        if (expiry != null)
        {
            expiry.cancel(false);
        }
        ended.run();
        return true;
    }

    /** The peer ended the request: the engine releases what it holds for it. */
    @Override
    public void cancel()
    {
        if (leave())
        {
            session.engine().cancel(requestId);
        }
    }
}
