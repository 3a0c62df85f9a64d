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
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.Goaway;
import moq.relay.wire.d18.GroupOrder;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Properties;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.PublishNamespace;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestErrorCode;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;

/**
 * Draft-18 control plane: each side opens one unidirectional SETUP stream; every request is a bidirectional stream
 * whose first message is the request and whose responses carry no request id; cancelling a request resets its
 * stream. There is no request limit besides QUIC's MAX_STREAMS, which {@link StreamOpener} honours.
 */
final class Draft18ClientSession extends ClientSession
{
    private boolean peerSetupSeen;

    Draft18ClientSession(final ClientConfig config)
    {
        super(config, Draft18ControlCodec.INSTANCE);
    }

    /** {@code params} plus the request tokens ({@link MoqClient#requestTokens}), in type order. */
    private MessageParameters withTokens(final List<Parameter> params)
    {
        for (final moq.relay.auth.TokenRef t : requestTokens)
        {
            params.add(new Parameter.AuthorizationToken(draft18Token(t)));
        }
        return MessageParameters.of(params.toArray(new Parameter[0]));
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
        final Setup setup = new Setup(options);
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
                    if (!(message instanceof Setup))
                    {
                        throw WireException.protocolViolation("the control stream must start with SETUP");
                    }
                    ((Setup)message).validateReceivedByClient();
                    setup = true;
                    setupDone.complete(null);
                    return;
                }
                if (message instanceof Goaway)
                {
                    goaway(((Goaway)message).newSessionUri());
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
            if (m instanceof Goaway goaway)
            {
                goaway(goaway.newSessionUri());
            }
            else if (!answered && m instanceof RequestError e)
            {
                answered = true;
                rejected(e.errorCode(), e.retryInterval(), e.reason());
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
        final List<Parameter> params = new ArrayList<>();
        if (!state.options.forward())
        {
            params.add(new Parameter.Forward(false));
        }
        params.add(new Parameter.SubscriberPriority(state.options.subscriberPriority()));
        params.add(new Parameter.Filter(state.options.filter().toDraft18()));
        if (state.options.descending())
        {
            params.add(new Parameter.Order(GroupOrder.DESCENDING));
        }
        final Subscribe subscribe = new Subscribe(state.requestId, state.namespace, state.name,
            withTokens(params));
        request(subscribe, new Answered("SUBSCRIBE")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (m instanceof SubscribeOk ok)
                {
                    subscribeAccepted(state, ok.trackAlias(), ok.largestObject().orElse(null));
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
                if (m instanceof PublishDone done)
                {
                    publishDone(state, done.statusCode(), done.streamCount(), done.reason());
                    return true;
                }
                return false;
            }

            @Override
            void endedAfterAnswer()
            {
                if (state.pendingDone == null)
                {
                    // Cancelled by the publisher without PUBLISH_DONE.
                    ended(state);
                }
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
        final MessageParameters params = withTokens(new ArrayList<>(List.of(
            new Parameter.SubscriberPriority(state.priority))));
        final Fetch fetch = state.joiningRequestId < 0
            ? Fetch.standalone(state.requestId, state.namespace, state.name, state.start, state.end, params)
            : state.absoluteJoining
            ? Fetch.absoluteJoining(state.requestId, state.joiningRequestId, state.joiningStart, params)
            : Fetch.relativeJoining(state.requestId, state.joiningRequestId, state.joiningStart, params);
        request(fetch, new Answered("FETCH")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (m instanceof FetchOk ok)
                {
                    state.result.complete(new FetchResult(state.requestId, ok.endOfTrack(), ok.endLocation()));
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

    // ---- publisher requests

    @Override
    void sendPublishNamespace(final NamespaceState state)
    {
        final PublishNamespace message = new PublishNamespace(state.requestId, state.namespace,
            withTokens(new ArrayList<>()));
        request(message, new Answered("PUBLISH_NAMESPACE")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (m instanceof RequestOk)
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
                namespaceEnded(state);
            }
        }, stream -> state.stream = stream);
    }

    @Override
    void sendWithdrawNamespace(final NamespaceState state)
    {
        cancel(state.stream);
    }

    @Override
    void sendPublish(final OutgoingSubscription template, final CompletableFuture<Void> result)
    {
        final TrackPublisher track = template.track;
        final List<Parameter> list = new ArrayList<>();
        if (track.largest() != null)
        {
            list.add(new Parameter.LargestObject(track.largest()));
        }
        final MessageParameters params = withTokens(list);
        final Publish publish = new Publish(template.requestId, track.namespace(), track.name(),
            template.trackAlias, params, Properties.EMPTY);
        final QuicStreamChannel[] streamRef = new QuicStreamChannel[1];
        request(publish, new Answered("PUBLISH")
        {
            @Override
            boolean accepted(final ControlMessage m)
            {
                if (m instanceof RequestOk)
                {
                    final OutgoingSubscription s = new OutgoingSubscription(track, template.requestId,
                        template.trackAlias, streamRef[0]);
                    outgoing.put(s.requestId, s);
                    track.added(s);
                    result.complete(null);
                    return true;
                }
                return false;
            }

            @Override
            void rejected(final long code, final long retry, final Bytes reason)
            {
                result.completeExceptionally(new RequestRejectedException("PUBLISH", code, retry, reason.utf8()));
            }

            @Override
            boolean followUp(final ControlMessage m)
            {
                if (m instanceof moq.relay.wire.d18.RequestUpdate)
                {
                    // The subscriber (a relay) changes the Forward State (draft-18 §REQUEST_UPDATE): this client
                    // sends to every subscriber regardless, so it only acknowledges.
                    streamRef[0].writeAndFlush(encode(RequestOk.EMPTY));
                    return true;
                }
                return false;
            }

            @Override
            void endedAfterAnswer()
            {
                outgoingCancelled(template.requestId);
            }
        }, stream -> streamRef[0] = stream);
    }

    @Override
    void sendPublishDone(final OutgoingSubscription s, final long statusCode, final String reason)
    {
        if (s.requestStream != null && s.requestStream.isActive())
        {
            s.requestStream.writeAndFlush(encode(new PublishDone(statusCode, s.streamCount, Bytes.utf8(reason))))
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
            private boolean first = true;

            @Override
            public void onMessage(final ControlMessage m) throws WireException
            {
                if (!first)
                {
                    if (m instanceof Goaway)
                    {
                        goaway(((Goaway)m).newSessionUri());
                        return;
                    }
                    // REQUEST_UPDATE is not supported by this client: refuse it, keep the subscription.
                    stream.writeAndFlush(encode(RequestError.of(RequestErrorCode.NOT_SUPPORTED, 0,
                        Bytes.utf8("not supported by this client"))));
                    return;
                }
                first = false;
                if (m instanceof Subscribe)
                {
                    subscription = onSubscribe((Subscribe)m, stream);
                    return;
                }
                if (isRequest(m))
                {
                    stream.writeAndFlush(encode(RequestError.of(RequestErrorCode.NOT_SUPPORTED, 0,
                        Bytes.utf8("not supported by this client")))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    return;
                }
                throw WireException.protocolViolation("message 0x" + Long.toHexString(m.type()) +
                    " cannot open a request stream");
            }

            @Override
            public void onEnd()
            {
                if (subscription != null)
                {
                    outgoingCancelled(subscription.requestId);
                }
            }
        }, () -> stream)));
    }

    private static boolean isRequest(final ControlMessage m)
    {
        final long t = m.type();
        return t == 0x3 || t == 0x1D || t == 0x16 || t == 0xD || t == 0x6 || t == 0x50 || t == 0x51;
    }

    private OutgoingSubscription onSubscribe(final Subscribe subscribe, final QuicStreamChannel stream)
    {
        final TrackPublisher track = tracks.get(new TrackKey(subscribe.namespace(), subscribe.trackName()));
        if (track == null)
        {
            stream.writeAndFlush(encode(RequestError.of(RequestErrorCode.DOES_NOT_EXIST, 0,
                Bytes.utf8("no such track")))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            return null;
        }
        final OutgoingSubscription s = acceptSubscribe(track, subscribe.requestId(), stream);
        final MessageParameters params = track.largest() == null
            ? MessageParameters.EMPTY
            : MessageParameters.of(new Parameter.LargestObject(track.largest()));
        stream.writeAndFlush(encode(new SubscribeOk(s.trackAlias, params, Properties.EMPTY)))
            .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        track.added(s);
        return s;
    }
}
