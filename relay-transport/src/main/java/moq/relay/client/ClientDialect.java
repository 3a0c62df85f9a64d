package moq.relay.client;

import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.d18.AuthToken;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;

/**
 * The client's half of a request-stream draft (18, 20): the records it writes for its requests and answers, and what
 * it reads from the relay's, so that {@link RequestStreamClientSession} is written once for both drafts. Reading
 * methods return null for a message of another kind. Stateless.
 */
/* The request methods take the request's AUTHORIZATION TOKENs (MoqClient#requestTokens), added as parameters. */
interface ClientDialect
{
    /** A REQUEST_ERROR's fields. */
    record Rejection(long code, long retryInterval, Bytes reason)
    {
    }

    /** A PUBLISH_DONE's fields. */
    record Done(long statusCode, long streamCount, Bytes reason)
    {
    }

    /** A SUBSCRIBE the relay sent this client as publisher. */
    record PeerSubscribe(long requestId, TrackNamespace namespace, Bytes name)
    {
    }

    ControlCodec codec();

    /** SETUP with options PATH, AUTHORITY, MOQT_IMPLEMENTATION (the same code points in both drafts). */
    ControlMessage setup(List<KeyValuePair> options);

    /** Checks the relay's SETUP. @throws WireException if {@code m} is not a SETUP a client may receive */
    void acceptSetup(ControlMessage m) throws WireException;

    /** A GOAWAY's new session URI, or null. */
    Bytes goaway(ControlMessage m);

    Rejection rejection(ControlMessage m);

    ControlMessage subscribe(long requestId, TrackNamespace namespace, Bytes name, SubscribeOptions options,
        List<AuthToken> tokens);

    /** SUBSCRIBE_OK's alias, or -1; {@code largest[0]} gets its LARGEST_OBJECT (null if none). */
    long subscribeOk(ControlMessage m, Location[] largest);

    Done publishDone(ControlMessage m);

    /**
     * FETCH, or null for a FETCH this draft does not have (draft 20: joining FETCH, replaced by FILL_PARAMETERS).
     * {@code end} in FETCH's draft-18 encoding (the last object plus one; object 0 the whole end group).
     */
    ControlMessage fetch(long requestId, TrackNamespace namespace, Bytes name, Location start, Location end,
        long joiningRequestId, long joiningStart, boolean absoluteJoining, int priority, List<AuthToken> tokens);

    /** FETCH_OK as a result (its end in draft-18's encoding), or null. */
    FetchResult fetchOk(long requestId, ControlMessage m);

    ControlMessage publishNamespace(long requestId, TrackNamespace namespace, List<AuthToken> tokens);

    boolean isRequestOk(ControlMessage m);

    boolean isRequestUpdate(ControlMessage m);

    ControlMessage publish(long requestId, TrackNamespace namespace, Bytes name, long trackAlias, Location largest,
        List<AuthToken> tokens);

    ControlMessage requestOk();

    ControlMessage requestError(long code, String reason);

    ControlMessage publishDone(long statusCode, long streamCount, Bytes reason);

    PeerSubscribe peerSubscribe(ControlMessage m);

    /** Whether {@code m} is a message that opens a request stream. */
    boolean isRequest(ControlMessage m);

    ControlMessage subscribeOk(long trackAlias, Location largest);
}
