package moq.relay.client;

import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.RequestStreamEnd;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import moq.relay.engine.RequestKind;
import moq.relay.session.PeerRequestIds;
import moq.relay.session.PublisherDialect;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.RequestErrorCode;
import moq.relay.wire.d18.SetupOption;

/**
 * The control plane of a request-stream draft (18, 20; its records from a {@link ClientDialect}): each side opens one unidirectional SETUP stream; every request is a bidirectional stream
 * whose first message is the request and whose responses carry no request id; cancelling a request resets its
 * stream. There is no request limit besides QUIC's MAX_STREAMS, which {@link StreamOpener} honours. The server's
 * request ids are checked as the relay checks its clients' ({@link PeerRequestIds}): a wrong parity or a reused id
 * closes the session with INVALID_REQUEST_ID.
 */
final class RequestStreamClientSession extends ClientSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestStreamClientSession.class);
    private final ClientDialect dialect;
    private boolean peerSetupSeen;
    /** The server's (odd) request ids used so far, remembered over as many as it may have request streams open. */
    private final PeerRequestIds peerRequestIds = new PeerRequestIds(1, MoqClient.PEER_BIDI_STREAMS);

    RequestStreamClientSession(final ClientConfig config, final ClientDialect dialect)
    {
        super(config, dialect.codec());
        this.dialect = dialect;
    }

    /** The request tokens ({@link MoqClient#requestTokens}) as draft-18/20 AUTHORIZATION TOKENs. */
    private List<moq.relay.wire.param.AuthToken> tokens()
    {
        final List<moq.relay.wire.param.AuthToken> tokens = new java.util.ArrayList<>();
        for (final moq.relay.auth.TokenRef t : requestTokens)
        {
            tokens.add(draft18Token(t));
        }
        return tokens;
    }

    @Override
    void startSetup()
    {
        final List<KeyValuePair> options = new ArrayList<>();
        // The moqt URI's path and authority (draft-18 §"AUTHORITY": a client connecting to a moqt URI MUST send it);
        // options ascend by type (delta-encoded).
        if (config.path() != null)
        {
            options.add(KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8(config.path())));
        }
        for (final moq.relay.auth.TokenRef t : config.setupTokens())
        {
            final moq.relay.wire.WireWriter w = new moq.relay.wire.WireWriter(draft.varint());
            draft18Token(t).write(w);
            options.add(KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN,
                Bytes.copyOf(java.util.Arrays.copyOf(w.buffer().byteArray(), w.position()))));
        }
        options.add(KeyValuePair.ofBytes(SetupOption.AUTHORITY, Bytes.utf8(config.authority())));
        options.add(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(ClientConfig.IMPLEMENTATION)));
        final ControlMessage setup = dialect.setup(options);
        opener.open(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter(), stream ->
        {
            if (stream != null)
            {
                // The stream type 0x2F00 is the SETUP message type: the stream is just the framed message.
                stream.writeAndFlush(encode(setup));
            }
        });
    }

    @Override
    ChannelHandler controlStreamReader()
    {
        if (peerSetupSeen)
        {
            protocolViolation("a second SETUP stream");
            return null;
        }
        peerSetupSeen = true;
        return newReader(new ControlMessageReader.Sink()
        {
            private boolean setup;

            @Override
            public void onMessage(final ControlMessage message) throws WireException
            {
                if (!setup)
                {
                    dialect.acceptSetup(message);
                    setup = true;
                    setupDone.complete(null);
                    return;
                }
                final Bytes uri = dialect.goaway(message);
                if (uri != null)
                {
                    goaway(uri);
                    return;
                }
                throw WireException.protocolViolation("message 0x" + Long.toHexString(message.type()) +
                    " on the control stream");
            }

            @Override
            public void onEnd()
            {
                if (!isClosed())
                {
                    protocolViolation("the server closed its control stream");
                }
            }
        });
    }

    @Override
    void withRequestId(final LongConsumer sender)
    {
        final long id = nextRequestId;
        nextRequestId += 2;
        sender.accept(id);
    }

    /**
     * Opens a request stream, sends {@code first}, and reads the responses into {@code sink}. Once the server ended its
     * side, whatever ended the request, ours is finished too so that the server gets the stream's credit back.
     */
    private void request(final ControlMessage first, final ControlMessageReader.Sink sink,
        final java.util.function.Consumer<QuicStreamChannel> onOpen)
    {
        final QuicStreamChannel[] opened = new QuicStreamChannel[1];
        opener.open(QuicStreamType.BIDIRECTIONAL, newReader(RequestStreamEnd.finishingOwnSide(sink, () -> opened[0])),
            stream ->
        {
            opened[0] = stream;
            onOpen.accept(stream);
            if (stream != null)
            {
                stream.writeAndFlush(encode(first));
            }
        });
    }

    private static WireException unexpected(final ControlMessage m, final String request)
    {
        return WireException.protocolViolation("message 0x" + Long.toHexString(m.type()) + " on a " + request +
            " request stream");
    }

    /**
     * The responses on one of this client's request streams: GOAWAY at any time, the request's answer (its OK or
     * REQUEST_ERROR), then whatever the request has after it; a stream that ends unanswered is a refusal. Anything
     * else is a protocol violation.
     */
    private abstract class Answered implements ControlMessageReader.Sink
    {
        private final String request;
        private boolean answered;

        Answered(final String request)
        {
            this.request = request;
        }

        @Override
        public final void onMessage(final ControlMessage m) throws WireException
        {
            final Bytes uri = dialect.goaway(m);
            final ClientDialect.Rejection e = answered ? null : dialect.rejection(m);
            if (uri != null)
            {
                goaway(uri);
            }
            else if (e != null)
            {
                answered = true;
                rejected(e.code(), e.retryInterval(), e.reason());
            }
            else if (!answered && accepted(m))
            {
                answered = true;
            }
            else if (!answered || !followUp(m))
            {
                throw unexpected(m, request);
            }
        }

        @Override
        public final void onEnd()
        {
            if (!answered)
            {
                rejected(RequestErrorCode.INTERNAL_ERROR, 0, Bytes.utf8("request stream closed without a response"));
            }
            else
            {
                endedAfterAnswer();
            }
        }

        /** Handles {@code m} if it is the request's OK, and says so. */
        abstract boolean accepted(ControlMessage m);

        abstract void rejected(long code, long retry, Bytes reason);

        /** Handles a message after the answer, if the request has such; false for any other. */
        boolean followUp(final ControlMessage m)
        {
            return false;
        }

        /** The stream ended after the answer. */
        void endedAfterAnswer()
        {
        }
    }

    // ---- subscriber requests

    @Override
    void sendSubscribe(final SubscribeState state)
    {
        final ControlMessage subscribe = Draft20ClientDialect.withObjectDeliveryTimeout(
            Draft20ClientDialect.withParameters(Draft20ClientDialect.withFill(
            dialect.subscribe(state.requestId, state.namespace, state.name, state.options, tokens()), state.fill,
            state.fillTimeoutMillis), state.parameters), state.objectDeliveryTimeoutMillis);
        request(subscribe, new Answered("SUBSCRIBE")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                final Location[] largest = new Location[1];
                final long alias = dialect.subscribeOk(m, largest);
                if (alias != -1)
                {
                    subscribeAccepted(state, alias, largest[0], dialect.trackProperties(m));
                    return true;
                }
                return false;
            }

            @Override
            void rejected(final long code, final long retry, final Bytes reason)
            {
                subscribeRejected(state, code, retry, reason);
            }

            @Override
            boolean followUp(final ControlMessage m)
            {
                final ClientDialect.Done done = dialect.publishDone(m);
                if (done != null)
                {
                    publishDone(state, done.statusCode(), done.streamCount(), done.reason());
                    return true;
                }
                return false;
            }

            @Override
            void endedAfterAnswer()
            {
                requestEnded(state);
            }
        }, stream -> state.stream = stream);
    }

    @Override
    void sendUnsubscribe(final SubscribeState state)
    {
        cancel(state.stream);
    }

    private static void cancel(final QuicStreamChannel stream)
    {
        if (stream != null && stream.isActive())
        {
            stream.shutdownInput(CANCELLED);
            stream.shutdownOutput(CANCELLED);
        }
    }

    @Override
    void sendFetch(final FetchState state)
    {
        final ControlMessage fetch = dialect.fetch(state.requestId, state.namespace, state.name, state.start,
            state.end, state.joiningRequestId, state.joiningStart, state.absoluteJoining, state.priority, tokens());
        if (fetch == null)
        {
            fetchRejected(state, RequestErrorCode.NOT_SUPPORTED, 0,
                Bytes.utf8("joining FETCH does not exist in draft " + draft.number()));
            return;
        }
        request(fetch, new Answered("FETCH")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                final FetchResult ok = dialect.fetchOk(state.requestId, m);
                if (ok != null)
                {
                    fetchAccepted(state, ok);
                    return true;
                }
                return false;
            }

            @Override
            void rejected(final long code, final long retry, final Bytes reason)
            {
                fetchRejected(state, code, retry, reason);
            }
        }, stream -> state.stream = stream);
    }

    @Override
    void cancelFetch(final FetchState state)
    {
        cancel(state.stream);
    }

    // ---- publisher requests

    @Override
    void sendPublishNamespace(final NamespaceState state)
    {
        final ControlMessage message = dialect.publishNamespace(state.requestId, state.namespace, tokens());
        request(message, new Answered("PUBLISH_NAMESPACE")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (dialect.isRequestOk(m))
                {
                    namespaceAccepted(state);
                    return true;
                }
                return false;
            }

            @Override
            void rejected(final long code, final long retry, final Bytes reason)
            {
                namespaceRejected(state, code, retry, reason);
            }

            @Override
            void endedAfterAnswer()
            {
                namespaceCancelled(state);
            }
        }, stream -> state.stream = stream);
    }

    @Override
    void sendWithdrawNamespace(final NamespaceState state)
    {
        cancel(state.stream);
    }

    @Override
    void sendPublish(final OutgoingSubscription s)
    {
        final TrackPublisher track = s.track;
        final ControlMessage publish = dialect.publish(s.requestId, track.namespace(), track.name(), s.trackAlias,
            track.largest(), track.trackProperties(), tokens());
        request(publish, new Answered("PUBLISH")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (dialect.isRequestOk(m))
                {
                    publishAccepted(s);
                    return true;
                }
                return false;
            }

            @Override
            void rejected(final long code, final long retry, final Bytes reason)
            {
                publishDeclined(s, code, retry, reason);
            }

            @Override
            boolean followUp(final ControlMessage m)
            {
                if (dialect.isRequestUpdate(m))
                {
                    // The subscriber (a relay) changes the Forward State (draft-18 §REQUEST_UPDATE): this client
                    // sends to every subscriber regardless, so it only acknowledges.
                    s.requestStream.writeAndFlush(encode(dialect.requestOk()));
                    return true;
                }
                return false;
            }

            @Override
            void endedAfterAnswer()
            {
                outgoingCancelled(s.requestId);
            }
        }, stream -> s.requestStream = stream);
    }

    @Override
    void sendPublishDone(final OutgoingSubscription s, final long statusCode, final String reason)
    {
        if (s.requestStream != null && s.requestStream.isActive())
        {
            s.requestStream.writeAndFlush(encode(dialect.publishDone(statusCode, s.streamCount, Bytes.utf8(reason))))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }

    // ---- requests from the server

    @Override
    void onPeerBidiStream(final QuicStreamChannel stream)
    {
        stream.pipeline().addLast(newReader(RequestStreamEnd.finishingOwnSide(new ControlMessageReader.Sink()
        {
            private OutgoingSubscription subscription;
            private FetchServing fetch;
            /** A track the relay offered with PUBLISH and this client accepted. */
            private TrackOffer offer;
            private boolean first = true;

            @Override
            public void onMessage(final ControlMessage m) throws WireException
            {
                if (!first)
                {
                    final Bytes uri = dialect.goaway(m);
                    if (uri != null)
                    {
                        goaway(uri);
                        return;
                    }
                    if (dialect.isRequestUpdate(m))
                    {
                        peerRequestIds.use(dialect.requestId(m));
                    }
                    if (offer != null)
                    {
                        offerMessage(offer, m);
                        return;
                    }
                    // REQUEST_UPDATE is not supported by this client: refuse it, keep the subscription.
                    stream.writeAndFlush(encode(dialect.requestError(RequestErrorCode.NOT_SUPPORTED,
                        "not supported by this client")));
                    return;
                }
                first = false;
                if (dialect.isRequest(m))
                {
                    peerRequestIds.use(dialect.requestId(m));
                }
                final ClientDialect.PeerSubscribe subscribe = dialect.peerSubscribe(m);
                if (subscribe != null)
                {
                    subscription = onSubscribe(subscribe, stream);
                    return;
                }
                final moq.relay.wire.param.Messages.Publish publish = dialect.peerPublish(m);
                if (publish != null)
                {
                    offer = onPublish(publish, stream);
                    return;
                }
                final FetchSource source = fetchSource;
                final PublisherDialect.PeerFetch peerFetch = source == null ? null : publisher.fetch(m);
                if (peerFetch != null)
                {
                    fetch = new FetchServing(RequestStreamClientSession.this, peerFetch.requestId(), (answer, last) ->
                    {
                        final io.netty.channel.ChannelFuture sent = stream.writeAndFlush(encode(answer));
                        if (last)
                        {
                            sent.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                        }
                    }, () ->
                    {
                        if (stream.isActive())
                        {
                            stream.shutdownOutput();
                        }
                    });
                    fetch.serve(publisher, source, peerFetch);
                    return;
                }
                if (dialect.isRequest(m))
                {
                    stream.writeAndFlush(encode(dialect.requestError(RequestErrorCode.NOT_SUPPORTED,
                        "not supported by this client"))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    return;
                }
                throw WireException.protocolViolation("message 0x" + Long.toHexString(m.type()) +
                    " cannot open a request stream");
            }

            @Override
            public void onEnd()
            {
                // The peer closed or reset its side: the request is cancelled (draft-18 §"Request Cancellation").
                if (subscription != null)
                {
                    outgoingCancelled(subscription.requestId);
                }
                if (fetch != null)
                {
                    fetch.cancel();
                }
                if (offer != null)
                {
                    requestEnded(offer.state);
                }
            }
        }, () -> stream)));
    }

    private OutgoingSubscription onSubscribe(final ClientDialect.PeerSubscribe subscribe,
        final QuicStreamChannel stream)
    {
        final TrackPublisher track = tracks.get(new TrackKey(subscribe.namespace(), subscribe.name()));
        final moq.relay.engine.RequestErrorCode refused = subscribeRefusal(track);
        if (refused != null)
        {
            stream.writeAndFlush(encode(publisher.error(RequestKind.SUBSCRIBE, subscribe.requestId(), refused,
                refusalReason(refused)))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            return null;
        }
        final OutgoingSubscription s = acceptSubscribe(track, subscribe.requestId(), stream);
        stream.writeAndFlush(encode(publisher.subscribeOk(subscribe.requestId(), s.trackAlias, track.largest(),
            track.trackProperties())))
            .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        subscribeAnswered(s);
        return s;
    }

    // ---- SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS, and the tracks the relay offers for them

    @Override
    void subscribePrefix(final PrefixSubscription p)
    {
        final String kind = p.tracks() ? "SUBSCRIBE_TRACKS" : "SUBSCRIBE_NAMESPACE";
        withRequestId(id ->
        {
            if (p.cancelled)
            {
                return; // cancelled before it was sent
            }
            p.requestId = id;
            prefixes.add(p);
            request(dialect.subscribePrefix(id, p.prefix, p.tracks(), tokens()), closing(p, new Answered(kind)
            {
                @Override
                boolean accepted(final ControlMessage m)
                {
                    if (dialect.isRequestOk(m))
                    {
                        p.result.complete(p);
                        return true;
                    }
                    return false;
                }

                @Override
                void rejected(final long code, final long retry, final Bytes reason)
                {
                    prefixEnded(p);
                    p.result.completeExceptionally(new RequestRejectedException(kind, code, retry, reason.utf8()));
                }

                @Override
                boolean followUp(final ControlMessage m)
                {
                    if (p.namespaces == null)
                    {
                        return false;
                    }
                    final moq.relay.wire.TrackNamespace added = dialect.namespace(m);
                    final moq.relay.wire.TrackNamespace removed = added == null ? dialect.namespaceDone(m) : null;
                    if (added == null && removed == null)
                    {
                        return false;
                    }
                    if (prefixes.contains(p))
                    {
                        try
                        {
                            if (added != null)
                            {
                                p.namespaces.onNamespace(added);
                            }
                            else
                            {
                                p.namespaces.onNamespaceDone(removed);
                            }
                        }
                        catch (final RuntimeException e)
                        {
                            LOG.warn("namespace listener failed", e);
                        }
                    }
                    return true;
                }

                @Override
                void endedAfterAnswer()
                {
                    prefixEnded(p);
                }
            }), stream ->
            {
                p.stream = stream;
                if (p.cancelled)
                {
                    cancel(stream); // cancelled before its stream opened: nothing of it is sent
                }
            });
        });
    }

    /** {@code sink}, whose end (the relay closed its side of the request stream) also closes {@code p}. */
    private static ControlMessageReader.Sink closing(final PrefixSubscription p, final ControlMessageReader.Sink sink)
    {
        return new ControlMessageReader.Sink()
        {
            @Override
            public void onMessage(final ControlMessage m) throws WireException
            {
                sink.onMessage(m);
            }

            @Override
            public void onEnd()
            {
                sink.onEnd();
                p.closed.complete(null);
            }
        };
    }

    private void prefixEnded(final PrefixSubscription p)
    {
        prefixes.remove(p);
        p.ended.complete(null);
    }

    @Override
    void cancelPrefix(final PrefixSubscription p)
    {
        p.cancelled = true;
        if (!prefixes.contains(p))
        {
            p.closed.complete(null); // never sent, or already ended by the relay
            return;
        }
        final QuicStreamChannel stream = p.stream;
        prefixEnded(p);
        p.result.cancel(false); // if it was not answered yet
        if (stream == null || !stream.isActive() || stream.isInputShutdown())
        {
            cancel(stream);
            p.closed.complete(null);
            return;
        }
        // Reset our side only and read on: the relay closes its side once it has processed the cancel (closed()), so
        // a new overlapping request sent after that is not refused PREFIX_OVERLAP. What it sends meanwhile (NAMESPACE,
        // PUBLISH for the prefix) is ignored or declined, p having ended.
        if (!stream.isOutputShutdown())
        {
            stream.shutdownOutput(CANCELLED);
        }
        stream.eventLoop().schedule(() ->
        {
            if (!p.closed.isDone())
            {
                cancel(stream);
                p.closed.complete(null);
            }
        }, PrefixSubscription.CLOSE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * A PUBLISH the relay opened a request stream with: offered to this client's SUBSCRIBE_TRACKS whose prefix it falls
     * under, accepted (PUBLISH_OK with the offer's Forward state) when that listener returns a subscription listener,
     * else declined with REQUEST_ERROR. Returns the accepted offer, or null.
     */
    private TrackOffer onPublish(final moq.relay.wire.param.Messages.Publish publish, final QuicStreamChannel stream)
    {
        PrefixSubscription to = null;
        for (final PrefixSubscription p : prefixes)
        {
            if (p.tracks() && publish.namespace().startsWith(p.prefix))
            {
                to = p;
                break;
            }
        }
        final TrackOffer offer = new TrackOffer(this, publish.namespace(), publish.trackName(), publish.trackAlias(),
            publish.largestObject().orElse(null), publish.trackProperties().pairs(), stream);
        SubscriptionListener listener = null;
        if (to != null)
        {
            try
            {
                listener = to.tracks.onTrack(offer);
            }
            catch (final RuntimeException e)
            {
                LOG.warn("track listener failed", e);
            }
        }
        if (listener == null)
        {
            stream.writeAndFlush(encode(dialect.requestError(RequestErrorCode.NOT_SUPPORTED,
                to == null ? "no SUBSCRIBE_TRACKS of this namespace" : "declined")))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            return null;
        }
        final SubscribeState state = new SubscribeState(offer.namespace(), offer.name(), SubscribeOptions.LATEST,
            listener);
        state.stream = stream;
        stream.writeAndFlush(encode(dialect.publishOk(offer.forward)))
            .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        if (!offer.forward && !dialect.forwardInPublishOk())
        {
            withRequestId(id -> stream.writeAndFlush(encode(dialect.forwardUpdate(id, false))));
        }
        acceptOffer(state, publish.requestId(), publish.trackAlias(), offer.largest(), offer.trackProperties());
        offer.state = state;
        offer.accepted.complete(state.handle);
        return offer;
    }

    /** What follows PUBLISH_OK on an offered track's stream: PUBLISH_DONE, and the answers to our updates. */
    private void offerMessage(final TrackOffer offer, final ControlMessage m) throws WireException
    {
        final ClientDialect.Done done = dialect.publishDone(m);
        if (done != null)
        {
            publishDone(offer.state, done.statusCode(), done.streamCount(), done.reason());
            return;
        }
        if (!dialect.isRequestOk(m) && dialect.rejection(m) == null)
        {
            throw unexpected(m, "PUBLISH");
        }
    }

    @Override
    void offerForward(final TrackOffer offer, final boolean forward)
    {
        if (offer.forward == forward)
        {
            return;
        }
        offer.forward = forward;
        if (offer.state != null && offer.stream.isActive() && !isClosed())
        {
            withRequestId(id -> offer.stream.writeAndFlush(encode(dialect.forwardUpdate(id, forward))));
        }
    }
}
