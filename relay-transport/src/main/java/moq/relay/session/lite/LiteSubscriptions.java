package moq.relay.session.lite;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.netty.util.concurrent.ScheduledFuture;
import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Grant;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.egress.LiteGroupWriter;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeEnd;
import moq.relay.wire.lite.SubscribeOk;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.SubscribeUpdate;

/**
 * A moq-lite subscriber's Subscribe Streams: each SUBSCRIBE becomes an engine subscription (priority 255 - p, Ordered
 * as group order, Start Group 0 as the largest group from its first object, {@code g + 1} as absolute start
 * {@code (g, 0)}, End Group {@code e + 1} as end group {@code e}) whose objects a {@link LiteGroupWriter} sends as
 * Group Streams; the engine's answer is SUBSCRIBE_OK (resolved start; lite-05: SUBSCRIBE_START with the absolute
 * start group) or a reset of the stream with the request error code; the track's end is the FIN of the relay's side
 * (lite-05: SUBSCRIBE_END first; an error end: a reset with the PUBLISH_DONE status code). SUBSCRIBE_UPDATE changes
 * the priority; the subscriber's FIN or reset cancels. A Subscribe ID already live on the session is a
 * PROTOCOL_VIOLATION. Authorization: a SUBSCRIBE needs the session's grant to SUBSCRIBE to its broadcast (refused:
 * the stream is reset with the request error code, UNAUTHORIZED or EXPIRED_AUTH_TOKEN); when that grant expires the
 * subscription ends, its stream reset with EXPIRED_AUTH_TOKEN. Event-loop confined.
 */
final class LiteSubscriptions
{
    private final LiteSession session;
    /** Live subscriptions by the subscriber's Subscribe ID. */
    private final Map<Long, Downstream> byId = new HashMap<>();

    LiteSubscriptions(final LiteSession session)
    {
        this.session = session;
    }

    void accept(final QuicStreamChannel stream)
    {
        final Downstream d = new Downstream(stream);
        stream.pipeline().addLast(session.reader(stream, LiteStreamSide.SUBSCRIBE, d, d::streamClosed));
    }

    int live()
    {
        return byId.size();
    }

    void closeAll()
    {
        for (final Downstream d : new ArrayList<>(byId.values()))
        {
            d.end();
        }
        byId.clear();
    }

    /** One Subscribe Stream. */
    private final class Downstream implements LiteMessageSink, SubscribeCallback, LiteGroupWriter.Done
    {
        private final QuicStreamChannel stream;
        private Subscribe subscribe;
        private long requestId = -1;
        private LiteGroupWriter writer;
        private boolean ended;
        private ScheduledFuture<?> expiry;
        /** lite-05: the group SUBSCRIBE_START named, or -1 before it went out. */
        private long resolvedStart = -1;

        Downstream(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final LiteMessage message) throws WireException
        {
            if (message instanceof Subscribe)
            {
                start((Subscribe)message);
            }
            else if (message instanceof SubscribeUpdate && requestId >= 0 && !ended)
            {
                final SubscribeUpdate u = (SubscribeUpdate)message;
                writer.maxLatency(u.maxLatencyMs());
                session.engine.updateSubscription(requestId, true, 255 - u.priority(), LiteSession.IGNORE);
            }
        }

        private void start(final Subscribe s) throws WireException
        {
            if (byId.containsKey(s.id()))
            {
                throw WireException.protocolViolation("subscribe id " + s.id() + " is already in use");
            }
            subscribe = s;
            final TrackNamespace namespace = LitePaths.toNamespace(s.broadcast());
            if (namespace == null)
            {
                refuse(RequestErrorCode.DOES_NOT_EXIST);
                return;
            }
            final FullTrackName track = new FullTrackName(namespace, Bytes.utf8(s.track()));
            final Grant grant = session.auth.authorize(AuthRequest.of(Action.SUBSCRIBE, namespace, track.name()),
                List.of(), (code, reason) -> refuse(code));
            if (grant == null)
            {
                return;
            }
            expiry = session.auth.atExpiry(grant, () ->
            {
                if (!ended && !session.closed)
                {
                    end();
                    refuse(RequestErrorCode.EXPIRED_AUTH_TOKEN);
                }
            });
            byId.put(s.id(), this);
            requestId = session.nextEngineRequestId();
            writer = new LiteGroupWriter(session.transport, session.engine.egressLoop(), session.version, s.id(),
                this);
            writer.maxLatency(s.maxLatencyMs());
            session.engine.subscribe(requestId, track,
                new SubscribeOptions(filter(s), true, 255 - s.priority(),
                    s.ordered() ? GroupOrder.ASCENDING : GroupOrder.DESCENDING, true, 0), writer, this);
        }

        /** Start Group 0: join at the largest group's first cached object; g + 1: from (g, 0). */
        private SubscriptionFilter filter(final Subscribe s)
        {
            if (s.startGroup() == 0)
            {
                return SubscriptionFilter.largestGroupStart();
            }
            final Location start = new Location(s.startGroup() - 1, 0);
            return s.endGroup() == 0 ? SubscriptionFilter.absoluteStart(start) :
                SubscriptionFilter.absoluteRange(start, s.endGroup() - 1);
        }

        @Override
        public void ok(final DownstreamSubscription subscription, final Location largest,
            final List<KeyValuePair> trackProperties)
        {
            session.transport.eventLoop().execute(() ->
            {
                if (ended)
                {
                    return;
                }
                final long start = subscribe.startGroup() != 0 ? subscribe.startGroup() :
                    largest == null ? 0 : largest.group() + 1;
                if (session.version.subscribeStartEnd())
                {
                    // lite-05: the absolute start group (no + 1); with no object yet, group 0.
                    resolvedStart = start == 0 ? 0 : start - 1;
                    session.send(stream, new SubscribeStart(resolvedStart));
                }
                else
                {
                    session.send(stream, new SubscribeOk(subscribe.priority(), subscribe.ordered(),
                        subscribe.maxLatencyMs(), start, subscribe.endGroup()));
                }
                writer.start(subscription, LiteTimestamps.timescale(trackProperties));
            });
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            session.transport.eventLoop().execute(() ->
            {
                if (!ended)
                {
                    byId.remove(subscribe.id());
                    refuse(code);
                }
            });
        }

        private void refuse(final RequestErrorCode code)
        {
            ended = true;
            session.transport.resetStream(stream, code.code());
        }

        /** The engine ended the subscription: FIN for a track that ended, a reset for an error. Event loop. */
        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
            if (ended)
            {
                return;
            }
            ended = true;
            byId.remove(subscribe.id());
            if (status == PublishDoneStatus.TRACK_ENDED || status == PublishDoneStatus.SUBSCRIPTION_ENDED)
            {
                if (session.version.subscribeStartEnd() && resolvedStart >= 0)
                {
                    // lite-05: SUBSCRIBE_END before the FIN, exclusive as @moq/net reads it: the group after the
                    // highest one served (the resolved start when none was).
                    session.send(stream, new SubscribeEnd(Math.max(resolvedStart, writer.highestGroup() + 1)));
                }
                stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
            }
            else
            {
                session.transport.resetStream(stream, status.code());
            }
        }

        /** The subscriber FINed its side: unsubscribe, and FIN the relay's side. */
        @Override
        public void onEnd()
        {
            if (!ended)
            {
                end();
                stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
            }
        }

        void streamClosed()
        {
            if (!ended)
            {
                end(); // reset by the subscriber: cancel
            }
        }

        void end()
        {
            ended = true;
            if (expiry != null)
            {
                expiry.cancel(false);
            }
            if (subscribe != null)
            {
                byId.remove(subscribe.id());
            }
            if (writer != null)
            {
                writer.cancelAll();
            }
            if (requestId >= 0 && !session.closed)
            {
                session.engine.cancel(requestId);
            }
        }
    }
}
