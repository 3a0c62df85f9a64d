package moq.relay.session;

import java.util.List;
import java.util.Optional;
import moq.relay.auth.TokenRef;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeOptions;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;

/**
 * A draft with SETUP on unidirectional control streams and one bidirectional stream per request, answered on that
 * stream without request ids (drafts 18 and 20): how its records map to and from {@link RequestMessage}s and the
 * answers of {@link StreamReplies}. What differs between such drafts and needs the session's state (a draft-20 limit
 * on unanswered updates) is asked through the hooks at the end, whose defaults are draft 18's.
 */
interface RequestStreamDialect extends Dialect
{
    /** The peer's SETUP, as far as the session checks it. */
    record PeerSetup(Optional<Bytes> path, Optional<Bytes> authority, Optional<Bytes> implementation,
        long maxRequestUpdates, List<TokenRef> tokens)
    {
    }

    ControlCodec codec();

    /** The codec that reads the streams of a peer with {@code quirks}: the draft's, unless a quirk says otherwise. */
    default ControlCodec codec(final PeerQuirks quirks)
    {
        return codec();
    }

    // ---- the control streams

    /** The relay's SETUP, advertising {@code authTokenCacheBytes} as MAX_AUTH_TOKEN_CACHE_SIZE. */
    ControlMessage setup(String implementation, long authTokenCacheBytes);

    /**
     * The peer's first control message, which must be a SETUP valid from a client.
     *
     * @throws WireException PROTOCOL_VIOLATION for another message or an invalid SETUP
     */
    PeerSetup acceptSetup(ControlMessage m) throws WireException;

    /** Whether {@code m} is a valid GOAWAY from a client (throws for an invalid one). */
    boolean isGoaway(ControlMessage m) throws WireException;

    /** The relay's GOAWAY on its control stream; {@code smallestUnused} is the peer's smallest unused request id. */
    ControlMessage goaway(String newSessionUri, long smallestUnused);

    // ---- the peer's request streams

    /**
     * {@code m} as the session acts on it, with {@code quirks} applied, or null for a message a request stream does
     * not carry (the session closes with PROTOCOL_VIOLATION naming it).
     *
     * @throws WireException a message the draft makes a session error in itself
     */
    RequestMessage read(ControlMessage m, PeerQuirks quirks) throws WireException;

    /** The options of the peer's REQUEST_OK answering the relay's PUBLISH (its PUBLISH_OK). */
    SubscribeOptions publishOk(RequestMessage.Ok ok) throws WireException;

    /**
     * The REQUEST_OK accepting the peer's PUBLISH, with the relay's Forward state where the draft's PUBLISH_OK carries
     * one ({@link #forwardInPublishOk()}).
     */
    ControlMessage publishAccepted(boolean forward);

    /**
     * Whether PUBLISH_OK states the Forward state (draft 18); in draft 20 it carries only EXPIRES, and a Forward state
     * other than the PUBLISH's is a REQUEST_UPDATE after it.
     */
    default boolean forwardInPublishOk()
    {
        return true;
    }

    /**
     * A REQUEST_UPDATE {@code m} of a SUBSCRIBE_TRACKS whose parameters the dialect read (draft 20): PROTOCOL_VIOLATION
     * for a parameter no such update may carry (draft-21 §9.20.1), else what it changes or why it fails. Drafts
     * without SUBSCRIBE_TRACKS parameters: it fails, NOT_SUPPORTED.
     */
    default RequestMessage.TracksUpdate subscribeTracksUpdate(final moq.relay.wire.ControlMessage m)
        throws moq.relay.wire.WireException
    {
        return RequestMessage.TracksUpdate.refused(moq.relay.engine.RequestErrorCode.NOT_SUPPORTED,
            "REQUEST_UPDATE of this request is not supported");
    }

    /**
     * Whether a REQUEST_UPDATE the request cannot have (of a TRACK_STATUS, or from the publisher of its own PUBLISH) is
     * a PROTOCOL_VIOLATION (draft 20, draft-21 §9.5) rather than refused with REQUEST_ERROR NOT_SUPPORTED (draft 18).
     */
    default long objectDeliveryTimeoutUpdate(final moq.relay.wire.ControlMessage m)
    {
        return -1; // drafts 14 and 18: the relay applies no delivery timeout (docs/engine.md "Delivery timeouts")
    }

    /** The SUBGROUP_DELIVERY_TIMEOUT a REQUEST_UPDATE sets (draft 20), or -1 when it leaves it (or the draft has none). */
    default long subgroupDeliveryTimeoutUpdate(final moq.relay.wire.ControlMessage m)
    {
        return -1;
    }

    default boolean unexpectedUpdateIsViolation()
    {
        return false;
    }

    /**
     * Whether a session may hold several subscriptions to one track (draft 20, draft-21 §3.1); drafts 18 and 14
     * refuse the second with DUPLICATE_SUBSCRIPTION.
     */
    default boolean severalSubscriptionsPerTrack()
    {
        return false;
    }

    // ---- the relay's own requests

    ControlMessage subscribe(long requestId, FullTrackName track, boolean forward);

    /**
     * The relay's PUBLISH of {@code track}; {@code restated} are the subscription parameters of the SUBSCRIBE_TRACKS
     * that offers it, as the subscriber sent them (draft 20, draft-21 §9.18.1: "These Parameters are explicitly
     * communicated in PUBLISH"; none for draft 18).
     */
    ControlMessage publish(long requestId, FullTrackName track, long trackAlias, Location largest,
        List<KeyValuePair> properties, PeerQuirks quirks, List<? extends moq.relay.wire.param.Parameter> restated);

    /** REQUEST_UPDATE of the relay's request with a new Forward state. */
    ControlMessage forwardUpdate(long requestId, boolean forward);

    /** The relay's upstream FETCH {@code requestId}: a standalone FETCH of {@code fetch}'s range, ascending. */
    ControlMessage fetch(long requestId, moq.relay.engine.UpstreamFetch fetch);

    // ---- answers (StreamReplies)

    ControlMessage subscribeOk(long trackAlias, Location largest, List<KeyValuePair> properties, PeerQuirks quirks);

    ControlMessage fetchOk(boolean endOfTrack, Location end, List<KeyValuePair> properties);

    ControlMessage trackStatusOk(Location largest, List<KeyValuePair> properties, PeerQuirks quirks);

    /** REQUEST_OK without parameters (a namespace request accepted, an update done). */
    ControlMessage ok();

    ControlMessage namespace(TrackNamespace suffix);

    ControlMessage namespaceDone(TrackNamespace suffix);

    ControlMessage requestError(RequestErrorCode code, String reason);

    ControlMessage publishDone(PublishDoneStatus status, long streamCount, String reason);
}
