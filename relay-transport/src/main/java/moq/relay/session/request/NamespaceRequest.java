package moq.relay.session.request;

import moq.relay.auth.Action;
import moq.relay.auth.Grant;
import java.util.List;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.NamespaceListener;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackListener;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * A standing request of the peer about namespaces: its PUBLISH_NAMESPACE (route SUBSCRIBEs under the namespace to
 * it), or its SUBSCRIBE_NAMESPACE (NAMESPACE / NAMESPACE_DONE for every matching namespace, now and later) or
 * SUBSCRIBE_TRACKS (every matching published track offered with PUBLISH).
 * Its life is {@link AnsweredRequest}'s, REQUEST_OK making it ACTIVE until the peer cancels. Event loop.
 */
public final class NamespaceRequest extends AnsweredRequest
{
    /** A published track the peer's SUBSCRIBE_TRACKS matches: the session offers it with PUBLISH. */
    public interface TrackOffer
    {
        void offer(FullTrackName track, Location largest, List<KeyValuePair> properties);
    }

    /** @param ended told once when the request leaves the session's table (refused or cancelled) */
    public NamespaceRequest(final RequestContext session, final long requestId, final Replies replies,
        final Runnable ended)
    {
        super(session, requestId, replies, ended);
    }

    /** The namespace a PUBLISH_NAMESPACE registered (withdrawn by name in draft 14 when its grant expires). */
    private TrackNamespace published;

    /** PUBLISH_NAMESPACE: the engine routes SUBSCRIBEs for tracks under {@code namespace} to {@code publisher}. */
    public void publishNamespace(final TrackNamespace namespace, final Publisher publisher)
    {
        if (authorized(Action.PUBLISH_NAMESPACE, namespace, null) == null)
        {
            return;
        }
        published = namespace;
        session.engine().publishNamespace(requestId, namespace, publisher, answer());
    }

    /** SUBSCRIBE_NAMESPACE of {@code prefix}. */
    public void subscribeNamespace(final TrackNamespace prefix)
    {
        final Grant grant = authorized(Action.SUBSCRIBE_NAMESPACE, prefix, null);
        if (grant == null)
        {
            return;
        }
        session.engine().subscribeNamespace(requestId, prefix, new NamespaceListener()
        {
            @Override
            public void namespace(final TrackNamespace suffix)
            {
                if (grant.reveals(prefix.append(suffix)))
                {
                    session.onLoop(() -> replies.namespace(suffix));
                }
            }

            @Override
            public void namespaceDone(final TrackNamespace suffix)
            {
                if (grant.reveals(prefix.append(suffix)))
                {
                    session.onLoop(() -> replies.namespaceDone(suffix));
                }
            }
        }, answer());
    }

    /** SUBSCRIBE_TRACKS of {@code prefix}: each matching track goes to {@code offers} on the event loop. */
    public void subscribeTracks(final TrackNamespace prefix, final TrackOffer offers)
    {
        final Grant grant = authorized(Action.SUBSCRIBE_NAMESPACE, prefix, null);
        if (grant == null)
        {
            return;
        }
        session.engine().subscribeTracks(requestId, prefix, new TrackListener()
        {
            @Override
            public void track(final FullTrackName track, final Location largest,
                final List<KeyValuePair> properties)
            {
                if (grant.reveals(track.namespace()))
                {
                    session.onLoop(() -> offers.offer(track, largest, properties));
                }
            }

            @Override
            public void trackDone(final FullTrackName track)
            {
                // an accepted offer ends with its subscription's PUBLISH_DONE
            }
        }, answer());
    }

    /**
     * The grant expired: the engine forgets the request; draft 18 resets its stream with EXPIRED_AUTH_TOKEN, draft 14
     * withdraws a PUBLISH_NAMESPACE with PUBLISH_NAMESPACE_CANCEL (and has nothing for a namespace subscription,
     * which just stops revealing).
     */
    @Override
    protected void grantExpired()
    {
        cancel();
        replies.grantExpired(session.transport(), published);
    }

    private RequestCallback answer()
    {
        return new RequestCallback()
        {
            @Override
            public void ok()
            {
                session.onLoop(() ->
                {
                    activate();
                    replies.ok();
                });
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> refused(code, reason));
            }
        };
    }
}
