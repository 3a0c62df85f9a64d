package moq.relay.session.lite;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.SubscribeOk;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay as a subscriber of a moq-lite peer, and the engine {@link Publisher} of the peer's broadcasts. moq-lite is
 * pull only: at the session's start the relay opens an Announce Stream with ANNOUNCE_PLEASE("") and registers each
 * active path as one of this session's published namespaces (withdrawn on ended, or when the stream closes); a
 * second active for an active path, or ended for an unknown one, is a PROTOCOL_VIOLATION; beyond
 * {@link LiteSettings#maxBroadcasts()} active paths the rest are not registered. The engine's upstream subscriptions
 * become Subscribe Streams with the relay's own Subscribe IDs (Start Group 0: the latest group, as the engine's
 * Largest Object filter asks); SUBSCRIBE_OK (lite-05, which has none: the opened Subscribe Stream), or a Group Stream for its id if that is read
 * first, accepts the
 * subscription (SUBSCRIBE_OK's priority, 255 - p, becomes the objects'
 * MoQT publisher priority); the publisher's FIN is PUBLISH_DONE TRACK_ENDED and its reset (before SUBSCRIBE_OK:
 * DOES_NOT_EXIST; after: PUBLISH_DONE INTERNAL_ERROR), each after the publish-done grace so Group Streams still in
 * flight land first. Group Streams are routed here by Subscribe ID ({@link LiteGroupIngest.Routes}). lite-05:
 * a track's TRACK_INFO is asked of the publisher on a Track Stream, once, kept for the upstream SUBSCRIBE's accept:
 * when TRACK_STATUS asks about a track not live yet (a lite subscriber's TRACK, {@link #trackStatus}), and before the
 * track's first upstream SUBSCRIBE when nobody asked before, so its timescale is known however the track went live.
 * Event-loop confined; engine calls hop to the loop.
 * <p>
 * Authorization: each active path is a PUBLISH_NAMESPACE of its namespace; one the session's grants do not allow is
 * not registered (logged; its later ended is ignored, as moq-lite has no refusal to send), and a registered one is
 * withdrawn when the grant that allowed it expires.
 */
final class LiteUpstream implements Publisher, LiteGroupIngest.Routes
{
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.session");
    /** moq-lite's default subscriber priority for the relay's own SUBSCRIBEs (the middle of the u8 range). */
    static final int RELAY_SUBSCRIBER_PRIORITY = 128;

    private final LiteSession session;
    /** Active broadcast paths of the peer and the engine request that published each. */
    private final Map<String, Long> broadcasts = new HashMap<>();
    /** Active paths of the peer the relay did not register (not authorized, or their grant expired), bounded. */
    private final java.util.Set<String> unregistered = new java.util.HashSet<>();
    /** Set once {@link #unregistered} was full: an ended for a path the relay does not know is then ignored. */
    private boolean unregisteredOverflow;
    /** The hop chain each registered path was announced with, as shared in {@link LiteSession#hops}. */
    private final Map<String, List<Long>> chains = new HashMap<>();
    /** lite-05: the publisher's own hop id (its ANNOUNCE_OK), the implicit last hop of its ANNOUNCEs; 0 unknown. */
    private long publisherHop;
    /** The expiry timers of registered paths whose grant expires. */
    private final Map<String, io.netty.util.concurrent.ScheduledFuture<?>> expiries = new HashMap<>();
    private final Map<Long, Upstream> bySubscribeId = new HashMap<>();
    private final Map<UpstreamSubscription, Upstream> bySubscription = new HashMap<>();
    private long nextSubscribeId;
    /**
     * lite-05: what the publisher's TRACK_INFO said of a track (as track properties: priority, group order, TIMESCALE),
     * asked when a subscriber's TRACK reached the relay before the track was live, or else before the track's first
     * upstream SUBSCRIBE; the upstream SUBSCRIBE's accept
     * then carries them, so the relay's TRACK_INFO and its frames agree on the timescale. The oldest go first beyond
     * {@link LiteSettings#maxBroadcasts()} entries.
     */
    private final Map<FullTrackName, List<KeyValuePair>> trackInfos = new java.util.LinkedHashMap<>(16, 0.75f, true)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<FullTrackName, List<KeyValuePair>> eldest)
        {
            return size() > session.settings.maxBroadcasts();
        }
    };
    /** lite-05 datagrams: the flyweight and the view over the received buffer. */
    private final moq.relay.wire.lite.LiteDatagram datagram = new moq.relay.wire.lite.LiteDatagram();
    private final org.agrona.concurrent.UnsafeBuffer datagramView = new org.agrona.concurrent.UnsafeBuffer(0, 0);
    /** Each lite-05 frame's TIMESTAMP property is written here, then copied into the log with the frame. */
    private final org.agrona.concurrent.UnsafeBuffer timestampScratch =
        new org.agrona.concurrent.UnsafeBuffer(new byte[LiteTimestamps.MAX_PROPERTY_LENGTH]);

    LiteUpstream(final LiteSession session)
    {
        this.session = session;
    }

    /** Asks the peer for every broadcast it has. */
    void start()
    {
        final AnnounceReplies replies = new AnnounceReplies();
        session.transport.openStream(QuicStreamType.BIDIRECTIONAL,
            session.reader(null, LiteStreamSide.ANNOUNCE_REPLY, replies, replies::closed)).addListener(f ->
        {
            if (f.isSuccess())
            {
                session.sendOpener((QuicStreamChannel)f.getNow(), LiteStreamType.ANNOUNCE, new AnnouncePlease(""));
            }
        });
    }

    void closeAll()
    {
        broadcasts.clear();
        for (final String path : new ArrayList<>(chains.keySet()))
        {
            forgetChain(path);
        }
        for (final Upstream u : new ArrayList<>(bySubscribeId.values()))
        {
            u.finish(false, "session closed");
        }
        bySubscribeId.clear();
        bySubscription.clear();
    }

    /**
     * Shares the hop chain {@code path} was announced with: its hops, then (lite-05) the publisher's own hop from
     * ANNOUNCE_OK, which the text says a relay forwarding the announcement appends.
     */
    private void rememberChain(final String path, final List<Long> announced)
    {
        final TrackNamespace namespace = LitePaths.toNamespace(path);
        if (namespace == null)
        {
            return;
        }
        final List<Long> chain;
        if (session.version.announceOk())
        {
            final List<Long> c = new ArrayList<>(announced);
            c.add(publisherHop);
            chain = List.copyOf(c);
        }
        else
        {
            chain = announced;
        }
        chains.put(path, chain);
        session.hops.put(namespace, chain);
    }

    private void forgetChain(final String path)
    {
        final List<Long> chain = chains.remove(path);
        final TrackNamespace namespace = LitePaths.toNamespace(path);
        if (chain != null && namespace != null)
        {
            session.hops.remove(namespace, chain);
        }
    }

    /** Remembers a path the relay did not register, so its ended is not a violation (bounded like the registered). */
    private void unregister(final String path)
    {
        if (unregistered.size() < session.settings.maxBroadcasts())
        {
            unregistered.add(path);
        }
        else
        {
            unregisteredOverflow = true;
        }
    }

    /** The peer's replies to the relay's ANNOUNCE_PLEASE. */
    private final class AnnounceReplies implements LiteMessageSink
    {
        @Override
        public void onMessage(final LiteMessage message) throws WireException
        {
            if (!(message instanceof Announce))
            {
                // lite-05's ANNOUNCE_OK (the decoder checked it comes first): the publisher's hop closes every chain.
                publisherHop = ((moq.relay.wire.lite.AnnounceOk)message).origin();
                return;
            }
            final Announce a = (Announce)message;
            final String path = LitePaths.normalise(a.suffix());
            if (a.status() == AnnounceStatus.RESTART && broadcasts.containsKey(path))
            {
                // lite-05: the broadcast restarted under the same path; the namespace stays published, its chain is
                // the new one.
                forgetChain(path);
                rememberChain(path, a.hops());
                return;
            }
            if (a.status() == AnnounceStatus.ENDED)
            {
                if (unregistered.remove(path))
                {
                    return;
                }
                final io.netty.util.concurrent.ScheduledFuture<?> expiry = expiries.remove(path);
                if (expiry != null)
                {
                    expiry.cancel(false);
                }
                final Long requestId = broadcasts.remove(path);
                forgetChain(path);
                if (requestId == null && unregisteredOverflow)
                {
                    return; // one of the unregistered paths the relay could not remember
                }
                if (requestId == null)
                {
                    throw WireException.protocolViolation("ANNOUNCE ended for " + path + ", which is not active");
                }
                session.engine.cancel(requestId);
                return;
            }
            if (broadcasts.containsKey(path) || unregistered.contains(path))
            {
                throw WireException.protocolViolation("ANNOUNCE active for " + path + ", which is active already");
            }
            final TrackNamespace namespace = LitePaths.toNamespace(path);
            if (namespace == null || broadcasts.size() >= session.settings.maxBroadcasts())
            {
                LOG.info("moq-lite session of peer {}: broadcast {} not published (no namespace, or more than {})",
                    session.peer, path, session.settings.maxBroadcasts());
                return;
            }
            final moq.relay.auth.Grant grant = session.auth.authorize(moq.relay.auth.AuthRequest.of(
                moq.relay.auth.Action.PUBLISH_NAMESPACE, namespace, null), List.of(), (code, reason) ->
                {
                    LOG.info("moq-lite session of peer {}: broadcast {} not published: {} {}", session.peer, path,
                        code, reason);
                    unregister(path);
                });
            if (grant == null)
            {
                return;
            }
            final long requestId = session.nextEngineRequestId();
            broadcasts.put(path, requestId);
            rememberChain(path, a.hops());
            final io.netty.util.concurrent.ScheduledFuture<?> expiry = session.auth.atExpiry(grant, () ->
            {
                expiries.remove(path);
                final Long registered = broadcasts.get(path);
                if (registered != null && registered == requestId && !session.closed)
                {
                    LOG.info("moq-lite session of peer {}: broadcast {} withdrawn: its grant expired", session.peer,
                        path);
                    broadcasts.remove(path);
                    forgetChain(path);
                    unregister(path);
                    session.engine.cancel(requestId);
                }
            });
            if (expiry != null)
            {
                expiries.put(path, expiry);
            }
            session.engine.publishNamespace(requestId, namespace, LiteUpstream.this, new RequestCallback()
            {
                @Override
                public void ok()
                {
                    LOG.debug("moq-lite session of peer {}: broadcast {} published", session.peer, path);
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    LOG.info("moq-lite session of peer {}: broadcast {} refused: {} {}", session.peer, path, code,
                        reason);
                }
            });
        }

        @Override
        public void onEnd()
        {
            closed();
        }

        void closed()
        {
            expiries.values().forEach(f -> f.cancel(false));
            expiries.clear();
            unregistered.clear();
            for (final String path : new ArrayList<>(chains.keySet()))
            {
                forgetChain(path);
            }
            if (!session.closed)
            {
                for (final Long requestId : broadcasts.values())
                {
                    session.engine.cancel(requestId);
                }
            }
            broadcasts.clear();
        }
    }

    // ---- Publisher (engine calls, any thread, under the engine's lock: hop to the loop)

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        session.transport.eventLoop().execute(() -> open(subscription));
    }

    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        // moq-lite has no forward state: the publisher always sends.
    }

    @Override
    public void unsubscribe(final UpstreamSubscription subscription)
    {
        session.transport.eventLoop().execute(() ->
        {
            final Upstream u = bySubscription.get(subscription);
            if (u != null)
            {
                u.cancel();
            }
        });
    }

    private void open(final UpstreamSubscription subscription)
    {
        final String path = LitePaths.toPath(subscription.track().namespace());
        final String track = utf8(subscription.track().name().array());
        if (session.closed || path == null || track == null)
        {
            subscription.reject(RequestErrorCode.DOES_NOT_EXIST, "no moq-lite broadcast for this track");
            return;
        }
        final Upstream u = new Upstream(nextSubscribeId++, subscription);
        bySubscribeId.put(u.id, u);
        bySubscription.put(subscription, u);
        withTrackInfo(subscription.track(), path, track, () -> u.send(path, track));
    }

    /**
     * Runs {@code then} once the track's TRACK_INFO is known: at once before lite-05 (no Track Stream) or when it is
     * kept already; else (lite-05) after asking it. TRACK_INFO (its timescale above all) is needed before the track's
     * frames mean anything and is immutable, so it is asked once, before the track's first upstream SUBSCRIBE or
     * FETCH (so no frame can come first), then kept. No answer within the setup timeout, or a reset: {@code then}
     * anyway, without it. Event loop.
     */
    private void withTrackInfo(final FullTrackName name, final String path, final String track, final Runnable then)
    {
        if (!session.version.trackStream() || trackInfos.containsKey(name))
        {
            then.run();
            return;
        }
        final boolean[] ran = new boolean[1];
        final Runnable once = () ->
        {
            if (!ran[0])
            {
                ran[0] = true;
                then.run();
            }
        };
        final io.netty.util.concurrent.ScheduledFuture<?> deadline = session.transport.eventLoop().schedule(once,
            session.settings.setupTimeoutMillis(), TimeUnit.MILLISECONDS);
        askTrack(name, path, track, new TrackStatusCallback()
        {
            @Override
            public void ok(final moq.relay.wire.Location largest, final boolean endOfTrack,
                final List<KeyValuePair> trackProperties)
            {
                deadline.cancel(false);
                once.run();
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                deadline.cancel(false);
                once.run();
            }
        });
    }

    /**
     * The engine's upstream FETCH (the relay's cache lacks the range), after the track's TRACK_INFO on lite-05: a
     * range within one group is asked of the publisher on a Fetch Stream ({@link LiteUpstreamFetch}); a range over
     * several groups group by group, one Fetch Stream each, what the cache holds taken from it ({@link LiteRangeFetch}).
     */
    @Override
    public boolean fetch(final moq.relay.engine.UpstreamFetch fetch)
    {
        final String path = LitePaths.toPath(fetch.track().namespace());
        final String track = utf8(fetch.track().name().array());
        if (path == null || track == null)
        {
            return false;
        }
        final boolean oneGroup = fetch.start().group() == fetch.end().group();
        session.transport.eventLoop().execute(() -> withTrackInfo(fetch.track(), path, track, () ->
        {
            final List<KeyValuePair> info = trackInfos.getOrDefault(fetch.track(), List.of());
            if (oneGroup)
            {
                new LiteUpstreamFetch(session, this, fetch, info, publisherPriority(info)).send(path, track);
            }
            else
            {
                new LiteRangeFetch(session, this, fetch, info, publisherPriority(info)).send(path, track);
            }
        }));
        return true;
    }

    /** Asked group by group, in the FETCH's order: descending too. */
    @Override
    public boolean fetchesDescending()
    {
        return true;
    }

    /** The MoQT publisher priority TRACK_INFO's track properties give ({@link #RELAY_SUBSCRIBER_PRIORITY}'s else). */
    private static int publisherPriority(final List<KeyValuePair> trackProperties)
    {
        for (final KeyValuePair p : trackProperties)
        {
            if (p.type() == LiteTrackInfo.DEFAULT_PUBLISHER_PRIORITY)
            {
                return (int)p.intValue();
            }
        }
        return 255 - RELAY_SUBSCRIBER_PRIORITY;
    }

    /**
     * lite-05: TRACK_STATUS for a track the relay does not know yet (a lite subscriber's TRACK, which {@code @moq/net}
     * sends before every SUBSCRIBE) is the publisher's TRACK_INFO: the relay asks TRACK on a Track Stream of its own
     * and answers with its priority (255 - p), group order and timescale as track properties, kept for the upstream
     * SUBSCRIBE that follows. Before lite-05 there is no Track Stream: not asked.
     */
    @Override
    public boolean trackStatus(final FullTrackName track, final TrackStatusCallback callback)
    {
        final String path = LitePaths.toPath(track.namespace());
        final String name = utf8(track.name().array());
        if (!session.version.trackStream() || path == null || name == null)
        {
            return false;
        }
        session.transport.eventLoop().execute(() -> askTrack(track, path, name, callback));
        return true;
    }

    /** Opens a Track Stream asking the publisher TRACK {@code path}/{@code name}; event loop. */
    private void askTrack(final FullTrackName track, final String path, final String name,
        final TrackStatusCallback callback)
    {
        final TrackInfoReply reply = new TrackInfoReply(track, callback);
        if (session.closed)
        {
            reply.closed();
            return;
        }
        session.transport.openStream(QuicStreamType.BIDIRECTIONAL,
            session.reader(null, LiteStreamSide.TRACK_REPLY, reply, reply::closed)).addListener(f ->
        {
            if (!f.isSuccess())
            {
                reply.closed();
                return;
            }
            reply.stream = (QuicStreamChannel)f.getNow();
            session.sendOpener(reply.stream, LiteStreamType.TRACK, new TrackRequest(path, name));
        });
    }

    /** The publisher's answer to the relay's TRACK: TRACK_INFO, or a reset (no such track). */
    private final class TrackInfoReply implements LiteMessageSink
    {
        private final FullTrackName track;
        private final TrackStatusCallback callback;
        private boolean answered;
        QuicStreamChannel stream;

        TrackInfoReply(final FullTrackName track, final TrackStatusCallback callback)
        {
            this.track = track;
            this.callback = callback;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            final TrackInfo info = (TrackInfo)message; // the side's only message
            final List<KeyValuePair> properties = List.of(
                KeyValuePair.ofVarint(LiteTrackInfo.DEFAULT_PUBLISHER_PRIORITY, 255 - info.priority()),
                KeyValuePair.ofVarint(LiteTrackInfo.DEFAULT_PUBLISHER_GROUP_ORDER, info.ordered() ? 1 : 2),
                KeyValuePair.ofVarint(LiteTimestamps.TIMESCALE, info.timescale()));
            trackInfos.put(track, properties);
            answered = true;
            callback.ok(null, false, properties);
        }

        /** The publisher FINed after TRACK_INFO: the relay FINs its side, as {@code @moq/net} does. */
        @Override
        public void onEnd()
        {
            if (stream != null && stream.isActive())
            {
                stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
            }
        }

        void closed()
        {
            if (!answered)
            {
                answered = true;
                callback.error(RequestErrorCode.DOES_NOT_EXIST, "the moq-lite publisher has no such track");
            }
        }
    }

    private static String utf8(final byte[] bytes)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException e)
        {
            return null;
        }
    }

    /** One Subscribe Stream the relay opened. */
    private final class Upstream implements LiteMessageSink
    {
        final long id;
        final UpstreamSubscription subscription;
        QuicStreamChannel stream;
        /** The Subscribe Stream was asked for (lite-05 may wait for TRACK_INFO first). */
        boolean sent;
        boolean accepted;
        boolean finished;
        int priority = 255 - RELAY_SUBSCRIBER_PRIORITY;

        Upstream(final long id, final UpstreamSubscription subscription)
        {
            this.id = id;
            this.subscription = subscription;
        }

        /**
         * Opens the Subscribe Stream (once: the TRACK answer and its deadline both call this), unless the engine
         * cancelled meanwhile. lite-05 accepts implicitly: the publisher says nothing before its first group
         * (SUBSCRIBE_START comes with it) while a MoQT subscriber waits for SUBSCRIBE_OK, so the subscription is
         * accepted as soon as SUBSCRIBE is out, with what the publisher's TRACK_INFO said. A publisher without the
         * track resets the stream: PUBLISH_DONE with an error.
         */
        void send(final String path, final String track)
        {
            if (sent || finished)
            {
                return;
            }
            sent = true;
            if (session.closed)
            {
                finish(false, "session closed");
                return;
            }
            session.transport.openStream(QuicStreamType.BIDIRECTIONAL,
                session.reader(null, LiteStreamSide.SUBSCRIBE_REPLY, this, this::streamClosed)).addListener(f ->
            {
                if (!f.isSuccess())
                {
                    finish(false, "could not open a Subscribe Stream");
                    return;
                }
                stream = (QuicStreamChannel)f.getNow();
                session.sendOpener(stream, LiteStreamType.SUBSCRIBE, new Subscribe(id, path, track,
                    RELAY_SUBSCRIBER_PRIORITY, true, 0, 0, 0));
                if (session.version.subscribeStartEnd() && !finished && !accepted)
                {
                    accepted = true;
                    final List<KeyValuePair> info = trackInfos.getOrDefault(subscription.track(), List.of());
                    priority = publisherPriority(info); // the objects' MoQT publisher priority, as TRACK_INFO said
                    subscription.accept(null, info);
                }
            });
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            if (message instanceof SubscribeOk && !finished)
            {
                final SubscribeOk ok = (SubscribeOk)message;
                priority = 255 - ok.priority();
                if (!accepted)
                {
                    accepted = true;
                    // What the relay then knows of the track, as draft-18 Track Properties (its TRACK_INFO and MoQT
                    // subscribers' SUBSCRIBE_OK read them): the publisher's priority and group order.
                    subscription.accept(null, List.of(
                        KeyValuePair.ofVarint(LiteTrackInfo.DEFAULT_PUBLISHER_PRIORITY, priority),
                        KeyValuePair.ofVarint(LiteTrackInfo.DEFAULT_PUBLISHER_GROUP_ORDER, ok.ordered() ? 1 : 2)));
                }
            }
            // lite-05's SUBSCRIBE_START and SUBSCRIBE_END change nothing: the subscription was accepted when the
            // stream opened (with the TRACK_INFO asked before it), the FIN that follows SUBSCRIBE_END ends the track.
            // Later SUBSCRIBE_OKs and SUBSCRIBE_DROPs: the groups simply do not come (MoQT subscribers see gaps).
        }

        /** The publisher FINed its side: the track ended. */
        @Override
        public void onEnd()
        {
            finish(true, "");
        }

        void streamClosed()
        {
            finish(false, "Subscribe Stream reset by the publisher");
        }

        /** The relay no longer needs the track: FIN its side (moq-lite's cancel). */
        void cancel()
        {
            finished = true;
            forget();
            if (stream != null && stream.isActive())
            {
                stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
            }
        }

        /** Ends the subscription after the grace period (Group Streams still in flight land first). */
        void finish(final boolean clean, final String reason)
        {
            if (finished)
            {
                return;
            }
            finished = true;
            final Runnable end = () ->
            {
                forget();
                if (!accepted)
                {
                    subscription.reject(RequestErrorCode.DOES_NOT_EXIST, reason);
                }
                else
                {
                    subscription.done(clean ? PublishDoneStatus.TRACK_ENDED : PublishDoneStatus.INTERNAL_ERROR,
                        reason);
                }
            };
            if (accepted && !session.closed)
            {
                session.transport.eventLoop().schedule(end, session.settings.publishDoneGraceMillis(),
                    TimeUnit.MILLISECONDS);
            }
            else
            {
                end.run();
            }
        }

        private void forget()
        {
            bySubscribeId.remove(id, this);
            bySubscription.remove(subscription, this);
        }
    }

    // ---- Group Streams

    @Override
    public TrackIngest ingestFor(final long subscribeId)
    {
        final Upstream u = bySubscribeId.get(subscribeId);
        if (u == null)
        {
            return null;
        }
        if (!u.accepted && !u.finished)
        {
            // A Group Stream read before the Subscribe Stream's SUBSCRIBE_OK (separate streams, no order between
            // them): the publisher is serving, so the subscription is accepted now rather than its group lost.
            u.accepted = true;
            u.subscription.accept(null, List.of());
        }
        return u.accepted ? u.subscription.ingest() : null;
    }

    @Override
    public int priorityOf(final long subscribeId)
    {
        final Upstream u = bySubscribeId.get(subscribeId);
        return u == null ? 0 : u.priority;
    }

    @Override
    public void objectDropped(final long subscribeId)
    {
        final Upstream u = bySubscribeId.get(subscribeId);
        if (u != null)
        {
            u.subscription.objectDropped("the store refused an object");
            u.cancel();
        }
    }

    /**
     * lite-05: a publisher's datagram, one single-frame group: decoded in place and stored as a datagram object
     * (object 0, END_OF_GROUP, its timestamp as the TIMESTAMP property) of the subscription its Subscribe ID names;
     * one for no subscription (any more), or larger than the store takes, is dropped, as datagrams may be. The caller
     * releases {@code buf}. Malformed: PROTOCOL_VIOLATION.
     */
    void datagram(final io.netty.buffer.ByteBuf buf) throws WireException
    {
        final int length = buf.readableBytes();
        if (buf.hasMemoryAddress())
        {
            datagramView.wrap(buf.memoryAddress() + buf.readerIndex(), length);
        }
        else
        {
            datagramView.wrap(io.netty.buffer.ByteBufUtil.getBytes(buf)); // heap or composite: not the usual case
        }
        datagram.decode(session.version, datagramView, 0, length);
        final TrackIngest ingest = ingestFor(datagram.subscribeId());
        final int n = LiteTimestamps.write(timestampScratch, 0, datagram.timestamp());
        if (ingest == null || datagram.payloadLength() + n > ingest.maxObjectBytes())
        {
            return;
        }
        // A lite-05 datagram is a single-frame group: object 0, END_OF_GROUP, its timestamp as the relay's property.
        if (!ingest.object(TrackIngest.DATAGRAM | TrackIngest.END_OF_GROUP | TrackIngest.RELAY_PROPERTIES,
            datagram.sequence(), 0, 0, priorityOf(datagram.subscribeId()), 0, timestampScratch, 0, n, datagramView,
            datagram.payloadOffset(), datagram.payloadLength()))
        {
            objectDropped(datagram.subscribeId());
        }
    }

    @Override
    public org.agrona.MutableDirectBuffer timestampScratch()
    {
        return timestampScratch;
    }

    @Override
    public boolean reserve(final int bytes)
    {
        return session.streamBytes.reserve(bytes);
    }

    @Override
    public void release(final int bytes)
    {
        session.streamBytes.release(bytes);
    }

    @Override
    public void fail(final WireException e)
    {
        session.fail(e);
    }

    @Override
    public void abandon(final io.netty.channel.Channel stream)
    {
        session.abandon(stream);
    }
}
