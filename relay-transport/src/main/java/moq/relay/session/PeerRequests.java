package moq.relay.session;

import moq.relay.session.request.DownstreamFetch;
import moq.relay.session.request.DownstreamSubscribe;
import moq.relay.session.request.NamespaceRequest;
import moq.relay.session.request.PeerRequest;
import moq.relay.session.request.Replies;
import moq.relay.session.request.TrackStatusRequest;

/**
 * Makes the machine ({@code moq.relay.session.request}) of a request the peer opened, whatever the draft: the
 * request-stream session for the first message of a stream, draft 14's for a request on its control stream. The
 * session says how the request is answered ({@link Replies}) and where it is kept ({@link Table}); PUBLISH and
 * SUBSCRIBE_TRACKS, which answer or offer on streams of the draft's shape, stay with the session. Event loop.
 */
final class PeerRequests
{
    /** Where a session keeps the requests its peer opened, until each ends. */
    interface Table
    {
        /**
         * Keeps {@code request}, opened by {@code r}, before it starts (the engine may end it at once); returns what
         * removes it again when it ends.
         */
        Runnable keep(RequestMessage.Opening r, PeerRequest request);
    }

    private PeerRequests()
    {
    }

    /**
     * Starts the machine of SUBSCRIBE, FETCH, TRACK_STATUS, PUBLISH_NAMESPACE or SUBSCRIBE_NAMESPACE {@code r}
     * (authorized with its tokens first), or answers a request the dialect refused with its error.
     *
     * @return the machine, or null for a refused request or a kind the session starts itself
     */
    static PeerRequest start(final MoqtSession session, final RequestMessage.Opening r, final Replies replies,
        final Table table)
    {
        final long id = r.requestId();
        final Runnable[] leave = {() -> { }};
        final Runnable ended = () -> leave[0].run();
        if (r instanceof RequestMessage.Refused refused)
        {
            replies.error(refused.code(), refused.reason());
            return null;
        }
        if (r instanceof RequestMessage.Subscribe s)
        {
            final DownstreamSubscribe d = new DownstreamSubscribe(session, id, session.nextAlias(), replies, false,
                ended);
            leave[0] = table.keep(r, d);
            d.tokens(s.tokens());
            d.fill(s.fill());
            d.objectDeliveryTimeout(s.objectDeliveryTimeoutMillis());
            d.subgroupDeliveryTimeout(s.subgroupDeliveryTimeoutMillis());
            d.start(s.track(), s.options());
            return d;
        }
        if (r instanceof RequestMessage.Fetch f)
        {
            final DownstreamFetch fetch = new DownstreamFetch(session, id, replies, ended);
            leave[0] = table.keep(r, fetch);
            fetch.tokens(f.tokens());
            fetch.start(f.fetch(), f.order());
            return fetch;
        }
        if (r instanceof RequestMessage.TrackStatus t)
        {
            final TrackStatusRequest status = new TrackStatusRequest(session, replies);
            table.keep(r, status); // answered once, nothing to remove
            status.tokens(t.tokens()).start(t.track());
            return status;
        }
        if (r instanceof RequestMessage.PublishNamespace p)
        {
            final NamespaceRequest n = new NamespaceRequest(session, id, replies, ended);
            leave[0] = table.keep(r, n);
            n.tokens(p.tokens());
            n.publishNamespace(p.namespace(), session);
            return n;
        }
        if (r instanceof RequestMessage.SubscribeNamespace n)
        {
            final NamespaceRequest ns = new NamespaceRequest(session, id, replies, ended);
            leave[0] = table.keep(r, ns);
            ns.tokens(n.tokens());
            ns.subscribeNamespace(n.prefix());
            return ns;
        }
        return null;
    }
}
