package moq.relay.client;

import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.Records;
import moq.relay.wire.param.SetupOptions;

/**
 * The client's half of a request-stream draft (18, 20): the records it writes for its requests and answers, and what
 * it reads from the relay's, so that {@link RequestStreamClientSession} is written once for both drafts. What the
 * drafts lay out alike is read here through {@link Messages} and built here from the shared {@link Parameter}s; a
 * draft's subclass names its records ({@link Records}) and says what differs (the filter, FETCH and FETCH_OK,
 * GOAWAY). Reading methods return null for a message of another kind. Stateless.
 */
/* The request methods take the request's AUTHORIZATION TOKENs (MoqClient#requestTokens), added as parameters. */
abstract class ClientDialect
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

    private final ControlCodec codec;
    private final Records<?> records;

    ClientDialect(final ControlCodec codec, final Records<?> records)
    {
        this.codec = codec;
        this.records = records;
    }

    final ControlCodec codec()
    {
        return codec;
    }

    /** The draft's records for what both drafts lay out alike. */
    final Records<?> records()
    {
        return records;
    }

    /** A GOAWAY's new session URI, or null. */
    final Bytes goaway(final ControlMessage m)
    {
        return m instanceof Messages.Goaway g ? g.newSessionUri() : null;
    }

    /**
     * FETCH, or null for a FETCH this draft does not have (draft 20: joining FETCH, replaced by FILL_PARAMETERS).
     * {@code end} in FETCH's draft-18 encoding (the last object plus one; object 0 the whole end group).
     */
    abstract ControlMessage fetch(long requestId, TrackNamespace namespace, Bytes name, Location start, Location end,
        long joiningRequestId, long joiningStart, boolean absoluteJoining, int priority, List<AuthToken> tokens);

    /** FETCH_OK as a result (its end in draft-18's encoding), or null. */
    abstract FetchResult fetchOk(long requestId, ControlMessage m);

    /** Whether {@code m} is a message that opens a request stream. */
    abstract boolean isRequest(ControlMessage m);

    /**
     * The Request ID of the peer's request {@code m} ({@link #isRequest}, or REQUEST_UPDATE, which consumes one too:
     * draft-18 §"Request ID").
     */
    final long requestId(final ControlMessage m)
    {
        return m instanceof Messages.Request r ? r.requestId() : fetchRequestId(m);
    }

    /** The Request ID of FETCH, the one request whose record is the draft's own. */
    abstract long fetchRequestId(ControlMessage m);

    /** SUBSCRIBE's filter parameter for {@code filter}, or null where the draft sends none for it. */
    abstract Parameter filter(Filter filter);

    /** SUBSCRIBE_TRACKS ({@code tracks}) or SUBSCRIBE_NAMESPACE of {@code prefix}. */
    abstract ControlMessage subscribePrefix(long requestId, TrackNamespace prefix, boolean tracks,
        List<AuthToken> tokens);

    /** A NAMESPACE's suffix, or null. */
    abstract TrackNamespace namespace(ControlMessage m);

    /** A NAMESPACE_DONE's suffix, or null. */
    abstract TrackNamespace namespaceDone(ControlMessage m);

    // ---- written once for both drafts

    /** Checks the relay's SETUP. @throws WireException if {@code m} is not a SETUP a client may receive */
    final void acceptSetup(final ControlMessage m) throws WireException
    {
        if (!(m instanceof SetupOptions setup))
        {
            throw WireException.protocolViolation("the control stream must start with SETUP");
        }
        setup.validateReceivedByClient();
    }

    final Rejection rejection(final ControlMessage m)
    {
        return m instanceof Messages.RequestError e ? new Rejection(e.errorCode(), e.retryInterval(), e.reason()) :
            null;
    }

    final ControlMessage subscribe(final long requestId, final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final List<AuthToken> tokens)
    {
        final List<Parameter> params = new ArrayList<>();
        if (!options.forward())
        {
            params.add(new Parameter.Forward(false));
        }
        params.add(new Parameter.SubscriberPriority(options.subscriberPriority()));
        final Parameter filter = filter(options.filter());
        if (filter != null)
        {
            params.add(filter);
        }
        if (options.descending())
        {
            params.add(new Parameter.Order(GroupOrder.DESCENDING));
        }
        return records().subscribe(requestId, namespace, name, withTokens(params, tokens));
    }

    /** SUBSCRIBE_OK's alias, or -1; {@code largest[0]} gets its LARGEST_OBJECT (null if none). */
    final long subscribeOk(final ControlMessage m, final Location[] largest)
    {
        if (m instanceof Messages.SubscribeOk ok)
        {
            largest[0] = ok.largestObject().orElse(null);
            return ok.trackAlias();
        }
        return -1;
    }

    /** The Track Properties of a SUBSCRIBE_OK or PUBLISH (empty for another message). */
    final List<KeyValuePair> trackProperties(final ControlMessage m)
    {
        if (m instanceof Messages.SubscribeOk ok)
        {
            return ok.trackProperties().pairs();
        }
        return m instanceof Messages.Publish p ? p.trackProperties().pairs() : List.of();
    }

    final Done publishDone(final ControlMessage m)
    {
        return m instanceof Messages.PublishDone d ? new Done(d.statusCode(), d.streamCount(), d.reason()) : null;
    }

    final ControlMessage publishNamespace(final long requestId, final TrackNamespace namespace,
        final List<AuthToken> tokens)
    {
        return records().publishNamespace(requestId, namespace, withTokens(new ArrayList<>(), tokens));
    }

    final boolean isRequestOk(final ControlMessage m)
    {
        return m instanceof Messages.RequestOk;
    }

    final ControlMessage requestOk()
    {
        return records().requestOk(Properties.EMPTY);
    }

    final ControlMessage publishDone(final long statusCode, final long streamCount, final Bytes reason)
    {
        return records().publishDone(statusCode, streamCount, reason);
    }

    final ControlMessage setup(final List<KeyValuePair> options)
    {
        return records().setup(options);
    }

    final boolean isRequestUpdate(final ControlMessage m)
    {
        return m instanceof Messages.RequestUpdate;
    }

    final ControlMessage publish(final long requestId, final TrackNamespace namespace, final Bytes name,
        final long trackAlias, final Location largest, final List<KeyValuePair> trackProperties,
        final List<AuthToken> tokens)
    {
        final List<Parameter> params = new ArrayList<>();
        if (largest != null)
        {
            params.add(new Parameter.LargestObject(largest));
        }
        return records().publish(requestId, namespace, name, trackAlias, Properties.of(trackProperties),
            withTokens(params, tokens));
    }

    /** A PUBLISH the relay sent (SUBSCRIBE_TRACKS), or null. */
    final Messages.Publish peerPublish(final ControlMessage m)
    {
        return m instanceof Messages.Publish p ? p : null;
    }

    /**
     * PUBLISH_OK: REQUEST_OK with the subscription's Forward state, where the draft lets it say one
     * ({@link #forwardInPublishOk}); else a bare REQUEST_OK.
     */
    final ControlMessage publishOk(final boolean forward)
    {
        return forwardInPublishOk() ? records().requestOk(Properties.EMPTY, new Parameter.Forward(forward)) :
            records().requestOk(Properties.EMPTY);
    }

    /**
     * Whether PUBLISH_OK carries FORWARD (draft 18). Draft 20's carries none (draft-21 §9.20.2): the subscription is
     * forwarded as the PUBLISH said, and a REQUEST_UPDATE follows it for Forward=0.
     */
    boolean forwardInPublishOk()
    {
        return true;
    }

    /** REQUEST_UPDATE of a subscription's Forward state, as request {@code requestId}. */
    final ControlMessage forwardUpdate(final long requestId, final boolean forward)
    {
        return records().requestUpdate(requestId, new Parameter.Forward(forward));
    }

    final ControlMessage requestError(final long code, final String reason)
    {
        return records().requestError(code, Bytes.utf8(reason));
    }

    final PeerSubscribe peerSubscribe(final ControlMessage m)
    {
        return m instanceof Messages.Subscribe s ? new PeerSubscribe(s.requestId(), s.namespace(), s.trackName()) :
            null;
    }

    /** {@code params} and the request's tokens. */
    static Parameter[] withTokens(final List<Parameter> params, final List<AuthToken> tokens)
    {
        for (final AuthToken t : tokens)
        {
            params.add(new Parameter.AuthorizationToken(t));
        }
        return params.toArray(new Parameter[0]);
    }
}
