package moq.relay.session;

import java.util.List;
import java.util.Optional;
import moq.relay.auth.TokenRef;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;

/**
 * A draft with one bidirectional control stream that carries every request and answer with its request id, under
 * MAX_REQUEST_ID flow control (draft 14): how its records map to and from {@link ControlStreamMessage}s and the
 * answers of {@link ControlStreamReplies}. Each request kind has its own OK and ERROR messages, so an answer names the
 * {@link RequestKind} it answers (those draft 14 has: SUBSCRIBE, FETCH, TRACK_STATUS, PUBLISH, PUBLISH_NAMESPACE,
 * SUBSCRIBE_NAMESPACE). The session ({@link ControlStreamSession}) keeps setup, stream routing and request-id checks.
 */
interface ControlStreamDialect extends Dialect
{
    /** The peer's CLIENT_SETUP, as far as the session checks it, with the version the relay selected. */
    record PeerSetup(long version, Optional<Bytes> path, Optional<Bytes> authority, Optional<Bytes> implementation,
        long maxRequestId, List<TokenRef> tokens)
    {
    }

    /** The codec that reads the control stream until the peer's setup names its implementation. */
    ControlCodec codec();

    /** The codec that reads the control stream of a peer with {@code quirks}, from the message after its setup. */
    ControlCodec codec(PeerQuirks quirks);

    // ---- setup and session-wide messages

    /**
     * The peer's first message, which must be its setup, with a version this relay speaks selected.
     *
     * @throws WireException PROTOCOL_VIOLATION for another message, VERSION_NEGOTIATION_FAILED without a common one
     */
    PeerSetup acceptSetup(ControlMessage m) throws WireException;

    /** The relay's answer to the setup: the selected version, the MAX_REQUEST_ID it grants, its token cache size. */
    ControlMessage serverSetup(long version, long maxRequestId, long authTokenCacheBytes);

    ControlMessage goaway(String newSessionUri);

    /** MAX_REQUEST_ID: the relay raises the ids it grants the peer. */
    ControlMessage maxRequestId(long maxRequestId);

    /** REQUESTS_BLOCKED: the relay's own requests wait at the peer's {@code maxRequestId}. */
    ControlMessage requestsBlocked(long maxRequestId);

    /**
     * {@code m} as the session routes it, with {@code quirks} applied.
     *
     * @throws WireException a message the draft makes a session error in itself
     */
    ControlStreamMessage read(ControlMessage m, PeerQuirks quirks) throws WireException;

    /** Whether a request of {@code kind} is refused once the session goes away (the others are still served). */
    boolean refusedWhenGoingAway(RequestKind kind);

    // ---- the relay's own requests

    ControlMessage subscribe(long requestId, FullTrackName track, boolean forward);

    /**
     * The relay's update of its subscription {@code subscriptionRequestId} to a new Forward state, restating its
     * {@code start} (an update may only narrow, and this one only flips Forward).
     */
    ControlMessage forwardUpdate(long requestId, long subscriptionRequestId, Location start, boolean forward);

    /** Cancels the relay's subscription {@code subscriptionRequestId}. */
    ControlMessage unsubscribe(long subscriptionRequestId);

    /** The relay's upstream FETCH {@code requestId}: a standalone FETCH of {@code fetch}'s range, ascending. */
    ControlMessage fetch(long requestId, moq.relay.engine.UpstreamFetch fetch);

    /** Cancels the relay's upstream FETCH {@code requestId}. */
    ControlMessage fetchCancel(long requestId);

    /** Announces {@code namespace}, which the peer's SUBSCRIBE_NAMESPACE matches, as a request of the relay's own. */
    ControlMessage publishNamespace(long requestId, TrackNamespace namespace);

    /** Withdraws an announced namespace. */
    ControlMessage publishNamespaceDone(TrackNamespace namespace);

    /** The answer accepting the peer's PUBLISH {@code requestId}, with the relay's Forward state. */
    ControlMessage publishAccepted(long requestId, boolean forward);

    // ---- answers (ControlStreamReplies)

    ControlMessage subscribeOk(long requestId, long trackAlias, Location largest, List<KeyValuePair> properties);

    ControlMessage fetchOk(long requestId, GroupOrder order, boolean endOfTrack, Location end,
        List<KeyValuePair> properties);

    ControlMessage trackStatusOk(long requestId, Location largest, List<KeyValuePair> properties);

    /** The OK of a namespace request of {@code kind} (PUBLISH_NAMESPACE or SUBSCRIBE_NAMESPACE). */
    ControlMessage ok(RequestKind kind, long requestId);

    /** The error answer of a request of {@code kind}, in that kind's message and code table. */
    ControlMessage error(RequestKind kind, long requestId, RequestErrorCode code, String reason);

    ControlMessage publishDone(long requestId, PublishDoneStatus status, long streamCount, String reason);

    /** The relay withdraws the peer's PUBLISH_NAMESPACE of {@code namespace}: the grant that allowed it expired. */
    ControlMessage namespaceGrantExpired(TrackNamespace namespace);
}
