package moq.relay.client;

import moq.relay.wire.KeyValuePair;
import moq.relay.transport.session.ControlMessageReader;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.List;
import java.util.function.LongConsumer;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.Fetch;
import moq.relay.wire.d14.FetchCancel;
import moq.relay.wire.d14.FetchError;
import moq.relay.wire.d14.FetchOk;
import moq.relay.wire.d14.FetchType;
import moq.relay.wire.d14.Goaway;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.JoiningFetch;
import moq.relay.wire.d14.MaxRequestId;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.Publish;
import moq.relay.wire.d14.PublishDone;
import moq.relay.wire.d14.PublishError;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.PublishNamespaceCancel;
import moq.relay.wire.d14.PublishNamespaceDone;
import moq.relay.wire.d14.PublishNamespaceError;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.PublishOk;
import moq.relay.wire.d14.RequestErrorMessage;
import moq.relay.wire.d14.RequestsBlocked;
import moq.relay.wire.d14.ServerSetup;
import moq.relay.wire.d14.SetupParameters;
import moq.relay.wire.d14.StandaloneFetch;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeError;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.d14.Unsubscribe;
import moq.relay.wire.d14.UnsubscribeNamespace;
import moq.relay.wire.TrackNamespace;

/**
 * Draft-14 control plane: one bidirectional control stream opened by the client (CLIENT_SETUP offering version
 * 0xff00000E, SERVER_SETUP), every request and response on it with request ids. Requests respect the server's
 * MAX_REQUEST_ID (ids below it); a request that would exceed it waits and REQUESTS_BLOCKED is sent once per limit.
 */
final class Draft14ClientSession extends ClientSession
{
    /** Request ids granted to the server at a time (it uses odd ids, so half as many requests). */
    static final long REQUEST_ID_WINDOW = 200;

    private QuicStreamChannel control;
    private boolean serverSetupSeen;
    private long peerMaxRequestId;
    private long blockedReportedAt = -1;
    private long grantedToPeer = REQUEST_ID_WINDOW;
    private long nextPeerRequestId = 1;
    Draft14ClientSession(final ClientConfig config)
    {
        super(config, Draft14ControlCodec.INSTANCE);
    }

    @Override
    void startSetup()
    {
        // Ascending parameter types (PATH 0x1, MAX_REQUEST_ID 0x2, AUTHORITY 0x5, MOQT_IMPLEMENTATION 0x7), the order
        // other implementations write and the oracle re-encodes in.
        final SetupParameters.Builder params = SetupParameters.builder();
        if (config.path() != null)
        {
            params.path(config.path());
        }
        params.maxRequestId(grantedToPeer);
        for (final moq.relay.auth.TokenRef t : config.setupTokens())
        {
            params.authorizationToken(draft14Token(t));
        }
        params.authority(config.authority()).implementation(ClientConfig.IMPLEMENTATION);
        final ClientSetup setup = new ClientSetup(List.of(Draft.DRAFT_14.version()), params.build());
        opener.open(QuicStreamType.BIDIRECTIONAL, newReader(new ControlSink()), stream ->
        {
            if (stream != null)
            {
                control = stream;
                stream.writeAndFlush(encode(setup));
            }
        });
    }

    @Override
    ChannelHandler controlStreamReader()
    {
        protocolViolation("draft-14 has no SETUP stream type");
        return null;
    }

    @Override
    void onPeerBidiStream(final QuicStreamChannel stream)
    {
        protocolViolation("the server opened a bidirectional stream");
    }

    private void send(final ControlMessage message)
    {
        if (control != null && !isClosed())
        {
            control.writeAndFlush(encode(message));
        }
    }

    // ---- request ids and MAX_REQUEST_ID

    @Override
    void withRequestId(final LongConsumer sender)
    {
        if (!blockedRequests.isEmpty() || nextRequestId >= peerMaxRequestId)
        {
            blockedRequests.add(sender);
            if (blockedReportedAt != peerMaxRequestId && serverSetupSeen)
            {
                blockedReportedAt = peerMaxRequestId;
                send(new RequestsBlocked(peerMaxRequestId));
            }
            return;
        }
        final long id = nextRequestId;
        nextRequestId += 2;
        sender.accept(id);
    }

    private void releaseBlocked()
    {
        while (!blockedRequests.isEmpty() && nextRequestId < peerMaxRequestId)
        {
            final long id = nextRequestId;
            nextRequestId += 2;
            blockedRequests.poll().accept(id);
        }
        if (!blockedRequests.isEmpty() && blockedReportedAt != peerMaxRequestId)
        {
            blockedReportedAt = peerMaxRequestId;
            send(new RequestsBlocked(peerMaxRequestId));
        }
    }

    /** Checks an incoming request id (odd, in order, below our grant) and extends the grant when half used. */
    private void peerRequest(final long requestId) throws WireException
    {
        if ((requestId & 1) == 0 || requestId != nextPeerRequestId)
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "server request id " + requestId +
                ", expected " + nextPeerRequestId);
        }
        if (requestId >= grantedToPeer)
        {
            throw new WireException(SessionError.TOO_MANY_REQUESTS, "server request id " + requestId +
                " not below MAX_REQUEST_ID " + grantedToPeer);
        }
        nextPeerRequestId += 2;
        if (grantedToPeer - requestId < REQUEST_ID_WINDOW / 2)
        {
            grantedToPeer = requestId + 1 + REQUEST_ID_WINDOW;
            send(new MaxRequestId(grantedToPeer));
        }
    }

    // ---- outgoing messages

    /** The request tokens ({@link MoqClient#requestTokens}) as a request's parameters. */
    private MessageParameters requestParameters()
    {
        final List<moq.relay.auth.TokenRef> tokens = requestTokens;
        if (tokens.isEmpty())
        {
            return MessageParameters.EMPTY;
        }
        return new MessageParameters(tokens.stream().map(t -> KeyValuePair.ofBytes(
            MessageParameters.AUTHORIZATION_TOKEN, draft14Token(t).encode())).toList());
    }

    @Override
    void sendSubscribe(final SubscribeState state)
    {
        send(new Subscribe(state.requestId, state.namespace, state.name, state.options.subscriberPriority(),
            state.options.descending() ? GroupOrder.DESCENDING : GroupOrder.PUBLISHER_DEFAULT,
            state.options.forward(), state.options.filter().toDraft14(), requestParameters()));
    }

    @Override
    void sendUnsubscribe(final SubscribeState state)
    {
        send(new Unsubscribe(state.requestId));
    }

    @Override
    void sendPublishNamespace(final NamespaceState state)
    {
        send(new PublishNamespace(state.requestId, state.namespace, requestParameters()));
    }

    @Override
    void sendWithdrawNamespace(final NamespaceState state)
    {
        send(new PublishNamespaceDone(state.namespace));
    }

    @Override
    void sendFetch(final FetchState state)
    {
        send(state.joiningRequestId < 0
            ? Fetch.standalone(state.requestId, state.priority, GroupOrder.ASCENDING,
                new StandaloneFetch(state.namespace, state.name, state.start, state.end), requestParameters())
            : Fetch.joining(state.requestId, state.priority, GroupOrder.ASCENDING,
                state.absoluteJoining ? FetchType.ABSOLUTE_JOINING : FetchType.RELATIVE_JOINING,
                new JoiningFetch(state.joiningRequestId, state.joiningStart), requestParameters()));
    }

    /** FETCH_CANCEL. */
    @Override
    void cancelFetch(final FetchState state)
    {
        send(new FetchCancel(state.requestId));
    }

    @Override
    void sendPublish(final OutgoingSubscription s)
    {
        send(new Publish(s.requestId, s.track.namespace(), s.track.name(), s.trackAlias, GroupOrder.ASCENDING,
            s.track.largest(), true, requestParameters()));
    }

    @Override
    void sendPublishDone(final OutgoingSubscription s, final long statusCode, final String reason)
    {
        send(new PublishDone(s.requestId, statusCode, s.streamCount, Bytes.utf8(reason)));
    }

    // ---- SUBSCRIBE_NAMESPACE (draft 14: the relay answers PUBLISH_NAMESPACE / PUBLISH_NAMESPACE_DONE on the control
    // stream; it has no SUBSCRIBE_TRACKS, and the PUBLISH it may send for one is declined)

    @Override
    void subscribePrefix(final PrefixSubscription p)
    {
        if (p.tracks())
        {
            p.result.completeExceptionally(new UnsupportedOperationException("draft 14 has no SUBSCRIBE_TRACKS"));
            return;
        }
        withRequestId(id ->
        {
            if (p.cancelled)
            {
                return; // cancelled before it was sent
            }
            p.requestId = id;
            prefixes.add(p);
            send(new SubscribeNamespace(id, p.prefix, requestParameters()));
        });
    }

    /** UNSUBSCRIBE_NAMESPACE, which names the prefix. */
    @Override
    void cancelPrefix(final PrefixSubscription p)
    {
        p.cancelled = true;
        if (prefixes.remove(p))
        {
            send(new UnsubscribeNamespace(p.prefix));
            p.ended.complete(null);
            p.result.cancel(false); // if it was not answered yet
        }
        p.closed.complete(null); // the control stream is ordered: the relay reads the cancel before any later request
    }

    private PrefixSubscription prefixRequest(final long requestId)
    {
        for (final PrefixSubscription p : prefixes)
        {
            if (p.requestId == requestId)
            {
                return p;
            }
        }
        return null;
    }

    /** The relay's PUBLISH_NAMESPACE (answered OK) or PUBLISH_NAMESPACE_DONE: to each SUBSCRIBE_NAMESPACE above it. */
    private void peerNamespace(final TrackNamespace namespace, final boolean added)
    {
        for (final PrefixSubscription p : List.copyOf(prefixes))
        {
            if (!p.result.isCompletedExceptionally() && namespace.startsWith(p.prefix))
            {
                try
                {
                    if (added)
                    {
                        p.namespaces.onNamespace(namespace.suffixAfter(p.prefix));
                    }
                    else
                    {
                        p.namespaces.onNamespaceDone(namespace.suffixAfter(p.prefix));
                    }
                }
                catch (final RuntimeException e)
                {
                    org.slf4j.LoggerFactory.getLogger(Draft14ClientSession.class).warn("namespace listener failed", e);
                }
            }
        }
    }

    // ---- incoming control messages

    private final class ControlSink implements ControlMessageReader.Sink
    {
        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!serverSetupSeen)
            {
                if (!(m instanceof ServerSetup))
                {
                    throw WireException.protocolViolation("the control stream must start with SERVER_SETUP");
                }
                final ServerSetup setup = (ServerSetup)m;
                if (setup.selectedVersion() != Draft.DRAFT_14.version())
                {
                    throw new WireException(SessionError.VERSION_NEGOTIATION_FAILED, "server selected version 0x" +
                        Long.toHexString(setup.selectedVersion()) + ", offered 0x" +
                        Long.toHexString(Draft.DRAFT_14.version()));
                }
                serverSetupSeen = true;
                peerMaxRequestId = setup.parameters().maxRequestId();
                setupDone.complete(null);
                releaseBlocked();
                return;
            }
            dispatch(m);
        }

        @Override
        public void onEnd()
        {
            if (!isClosed())
            {
                protocolViolation("the server closed the control stream");
            }
        }
    }

    private void dispatch(final ControlMessage m) throws WireException
    {
        if (m instanceof SubscribeOk)
        {
            final SubscribeOk ok = (SubscribeOk)m;
            final SubscribeState s = subscriptions.get(ok.requestId());
            if (s != null && s.handle == null)
            {
                subscribeAccepted(s, ok.trackAlias(), ok.largestLocation());
            }
        }
        else if (m instanceof SubscribeError)
        {
            final SubscribeError e = (SubscribeError)m;
            final SubscribeState s = subscriptions.get(e.requestId());
            if (s != null && s.handle == null)
            {
                subscribeRejected(s, e.errorCode(), 0, e.reason());
            }
        }
        else if (m instanceof PublishDone)
        {
            final PublishDone done = (PublishDone)m;
            final SubscribeState s = subscriptions.get(done.requestId());
            if (s != null)
            {
                publishDone(s, done.statusCode(), done.streamCount(), done.reason());
            }
        }
        else if (m instanceof PublishNamespaceOk)
        {
            final NamespaceState n = namespaces.get(((PublishNamespaceOk)m).requestId());
            if (n != null)
            {
                namespaceAccepted(n);
            }
        }
        else if (m instanceof PublishNamespaceError)
        {
            final PublishNamespaceError e = (PublishNamespaceError)m;
            final NamespaceState n = namespaces.get(e.requestId());
            if (n != null)
            {
                namespaceRejected(n, e.errorCode(), 0, e.reason());
            }
        }
        else if (m instanceof PublishNamespaceCancel)
        {
            final PublishNamespaceCancel c = (PublishNamespaceCancel)m;
            for (final NamespaceState n : List.copyOf(namespaces.values()))
            {
                if (n.namespace.equals(c.trackNamespace()))
                {
                    namespaceCancelled(n);
                }
            }
        }
        else if (m instanceof FetchOk)
        {
            final FetchOk ok = (FetchOk)m;
            final FetchState f = fetches.get(ok.requestId());
            if (f != null)
            {
                fetchAccepted(f, new FetchResult(ok.requestId(), ok.endOfTrack(), ok.endLocation()));
            }
        }
        else if (m instanceof FetchError)
        {
            final FetchError e = (FetchError)m;
            final FetchState f = fetches.get(e.requestId());
            if (f != null)
            {
                fetchRejected(f, e.errorCode(), 0, e.reason());
            }
        }
        else if (m instanceof PublishOk)
        {
            final OutgoingSubscription s = outgoing.get(((PublishOk)m).requestId());
            if (s != null)
            {
                publishAccepted(s);
            }
        }
        else if (m instanceof PublishError)
        {
            final PublishError e = (PublishError)m;
            final OutgoingSubscription s = outgoing.get(e.requestId());
            if (s != null)
            {
                publishDeclined(s, e.errorCode(), 0, e.reason());
            }
        }
        else if (m instanceof Subscribe)
        {
            onSubscribe((Subscribe)m);
        }
        else if (m instanceof Unsubscribe)
        {
            outgoingCancelled(((Unsubscribe)m).requestId());
        }
        else if (m instanceof MaxRequestId)
        {
            final long max = ((MaxRequestId)m).requestId();
            if (max <= peerMaxRequestId)
            {
                throw WireException.protocolViolation("MAX_REQUEST_ID " + max + " does not increase " +
                    peerMaxRequestId);
            }
            peerMaxRequestId = max;
            releaseBlocked();
        }
        else if (m instanceof Goaway)
        {
            goaway(((Goaway)m).newSessionUri());
        }
        else if (m instanceof RequestsBlocked)
        {
            // The server wants more request ids: grant another window.
            grantedToPeer = nextPeerRequestId + REQUEST_ID_WINDOW;
            send(new MaxRequestId(grantedToPeer));
        }
        else if (m instanceof RequestErrorMessage || m instanceof ClientSetup || m instanceof ServerSetup)
        {
            throw WireException.protocolViolation("unexpected message 0x" + Long.toHexString(m.type()));
        }
        else if (m instanceof Fetch)
        {
            final long id = ((Fetch)m).requestId();
            peerRequest(id);
            final FetchSource source = fetchSource;
            new FetchServing(this, id, (answer, last) -> send(answer), () -> { }).serve(publisher, source,
                source == null ? null : publisher.fetch(m));
        }
        else if (m instanceof FetchCancel)
        {
            servedFetchCancelled(((FetchCancel)m).requestId());
        }
        else if (m instanceof SubscribeNamespaceOk)
        {
            final PrefixSubscription p = prefixRequest(((SubscribeNamespaceOk)m).requestId());
            if (p != null)
            {
                p.result.complete(p);
            }
        }
        else if (m instanceof SubscribeNamespaceError)
        {
            final SubscribeNamespaceError e = (SubscribeNamespaceError)m;
            final PrefixSubscription p = prefixRequest(e.requestId());
            if (p != null && prefixes.remove(p))
            {
                p.ended.complete(null);
                p.closed.complete(null);
                p.result.completeExceptionally(new RequestRejectedException("SUBSCRIBE_NAMESPACE", e.errorCode(), 0,
                    e.reason().utf8()));
            }
        }
        else if (m instanceof PublishNamespace)
        {
            final PublishNamespace n = (PublishNamespace)m;
            peerRequest(n.requestId());
            send(new PublishNamespaceOk(n.requestId()));
            peerNamespace(n.trackNamespace(), true);
        }
        else if (m instanceof PublishNamespaceDone)
        {
            peerNamespace(((PublishNamespaceDone)m).trackNamespace(), false);
        }
        else if (m instanceof Publish)
        {
            final long id = ((Publish)m).requestId();
            peerRequest(id);
            send(publisher.error(RequestKind.PUBLISH, id, RequestErrorCode.NOT_SUPPORTED, "not subscribed"));
        }
        // Anything else valid (TRACK_STATUS, SUBSCRIBE_NAMESPACE, ...) is not served by this client: ignored.
    }

    private void onSubscribe(final Subscribe subscribe) throws WireException
    {
        peerRequest(subscribe.requestId());
        final TrackPublisher track = tracks.get(new TrackKey(subscribe.trackNamespace(), subscribe.trackName()));
        final RequestErrorCode refused = subscribeRefusal(track);
        if (refused != null)
        {
            send(publisher.error(RequestKind.SUBSCRIBE, subscribe.requestId(), refused, refusalReason(refused)));
            return;
        }
        final OutgoingSubscription s = acceptSubscribe(track, subscribe.requestId(), null);
        send(publisher.subscribeOk(subscribe.requestId(), s.trackAlias, track.largest(), track.trackProperties()));
        subscribeAnswered(s);
    }
}
