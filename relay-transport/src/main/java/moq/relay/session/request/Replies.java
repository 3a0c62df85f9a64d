package moq.relay.session.request;

import moq.relay.transport.session.MoqTransport;
import java.util.List;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * How the session's draft answers one request of the peer: the dialect's half of a request machine. Draft 18 writes
 * on the request's own stream without a request id and ends its side with the final answer; draft 14 writes on the
 * control stream with the request id, and each request kind has its own error message and code table. A machine calls
 * only the answers its kind has. Event loop.
 */
public interface Replies
{
    /** SUBSCRIBE_OK. */
    void subscribeOk(long trackAlias, Location largest, List<KeyValuePair> properties);

    /** FETCH_OK; the objects follow on their own stream. */
    void fetchOk(GroupOrder order, boolean endOfTrack, Location end, List<KeyValuePair> properties);

    /** The answer to TRACK_STATUS; final. */
    void trackStatus(Location largest, boolean endOfTrack, List<KeyValuePair> properties);

    /** REQUEST_OK of a PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE or SUBSCRIBE_TRACKS (the request stays open). */
    void ok();

    /** A namespace (its suffix after the subscribed prefix) the peer's SUBSCRIBE_NAMESPACE now matches. */
    void namespace(TrackNamespace suffix);

    /** A namespace the peer's SUBSCRIBE_NAMESPACE matched was withdrawn. */
    void namespaceDone(TrackNamespace suffix);

    /** The request's error answer (REQUEST_ERROR, or the kind's *_ERROR in draft 14); final. */
    void error(RequestErrorCode code, String reason);

    /** A subscription ended: PUBLISH_DONE; final. */
    void publishDone(PublishDoneStatus status, long streamCount, String reason);

    /** The answer to an update of the request (draft 18: REQUEST_OK; draft 14's SUBSCRIBE_UPDATE has none). */
    void updated();

    /**
     * The answer to an update of a subscription that asked for a fill (draft 20): REQUEST_OK with the LARGEST_OBJECT
     * the fill ends at (draft-21 §3.4: the subscriber "learns the Largest Object from the LARGEST_OBJECT parameter in
     * SUBSCRIBE_OK or REQUEST_UPDATE_OK"), null when nothing was published.
     */
    default void updated(final moq.relay.wire.Location largest)
    {
        updated();
    }

    /** A refused update of the request, which stays as it was (draft 18: REQUEST_ERROR; draft 14: nothing). */
    void updateRefused(RequestErrorCode code, String reason);

    /**
     * The grant that allowed the request expired and the request ended (docs/auth.md, "Expiry"): draft 18 resets the
     * request stream with EXPIRED_AUTH_TOKEN; draft 14 withdraws a PUBLISH_NAMESPACE of {@code namespace} with
     * PUBLISH_NAMESPACE_CANCEL and has nothing for the other kinds. A subscription instead ends with PUBLISH_DONE.
     */
    void grantExpired(MoqTransport transport, TrackNamespace namespace);

    /** The request ended without a final answer (a finished FETCH): draft 18 ends the stream, draft 14 has nothing. */
    void end();
}
