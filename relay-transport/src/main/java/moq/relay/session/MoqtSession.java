package moq.relay.session;

import moq.relay.session.ingest.SubgroupIngestHandler;
import moq.relay.session.ingest.DatagramIngest;
import moq.relay.session.ingest.AliasWaiters;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.engine.MemoryBudget;
import moq.relay.engine.Publisher;
import moq.relay.engine.Session;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import java.util.List;
import moq.relay.auth.TokenRef;
import moq.relay.session.request.RequestContext;
import moq.relay.session.request.SessionAuth;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.session.request.UpstreamTracks;
import moq.relay.transport.session.ControlLog;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.session.UniStreamClassifier;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

/**
 * What a relay session does the same way in every draft: it sits between one {@link MoqTransport} and the engine's
 * {@link Session}, ingests the peer's object datagrams, holds subgroup streams that overtake their Track Alias
 * ({@link AliasWaiters}), bounds what the peer's streams buffer (its own bound and the relay-wide one), ends an
 * upstream subscription whose objects the ingest drops, and closes with a logged reason. It is the
 * {@link RequestContext} of its request machines ({@code moq.relay.session.request}) and holds the tracks the peer
 * sends the relay ({@link UpstreamTracks}), routing their data streams and the engine's Forward changes and cancels to
 * them. The draft subclasses own their control streams, how requests arrive and are answered, and the {@link Publisher}
 * side's SUBSCRIBE. Event-loop confined.
 */
abstract class MoqtSession implements TransportSession, MoqTransport.Listener, Publisher, SubgroupIngestHandler.Tracks,
    RequestContext
{
    private final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(getClass());
    /**
     * Why a session that kept requesting above {@code moq.relay.session.max.request.rate} after its refusals is closed
     * (INTERNAL_ERROR: neither draft has a session-level EXCESSIVE_LOAD, docs/hardening.md).
     */
    static final String REQUEST_RATE_ABUSED = "requests kept arriving above " +
        moq.relay.config.RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME + " after EXCESSIVE_LOAD refusals";

    final MoqTransport transport;
    final Session engine;
    final SessionSettings settings;
    final DatagramIngest datagrams;
    final AliasWaiters aliasWaiters;
    /** The tracks the peer sends the relay: the relay's SUBSCRIBEs and the peer's PUBLISHes. */
    final UpstreamTracks upstreams = new UpstreamTracks();
    private final Draft draft;
    /** Captured at open: the connection forgets its peer address once closed, when the close is logged. */
    final String peer;
    private final String draftName;
    /** What this session's control and request streams may buffer of partial messages (the relay's is its parent). */
    final MemoryBudget controlBytes;
    /** Closes the session if the peer's SETUP has not arrived in time (cancelled at close). */
    private final io.netty.util.concurrent.ScheduledFuture<?> setupDeadline;
    /**
     * Bytes this session's publisher streams buffer (gathered payloads, decoder scratch), bounded by the settings; its
     * parent is the relay-wide budget of every session's stream buffers ({@code Relay.streamBuffers()}).
     */
    private final MemoryBudget streamBytes;
    /** Objects of this session's tracks the ingest refused (see {@link #objectDropped}); event-loop confined. */
    private long droppedObjects;
    boolean goingAway;
    boolean closed;
    /** The peer's SETUP (draft-14 CLIENT_SETUP) was handled. */
    boolean setupDone;
    /** The session's token cache and authorization (docs/auth.md). */
    private final SessionAuth auth;
    /** The WebTransport CONNECT {@code :path} (with query), or null on raw QUIC. */
    private String connectPath;
    /** The next track alias the relay gives a subscription of the peer's or a track it offers the peer. */
    private long nextAlias = 1;
    /** The DEBUG line per control message sent and received (logger {@code moq.relay.control}). */
    final ControlLog controlLog;

    MoqtSession(final MoqTransport transport, final Session engine, final SessionSettings settings, final Draft draft)
    {
        this.transport = transport;
        this.engine = engine;
        this.settings = settings;
        this.draft = draft;
        this.controlLog = new ControlLog(engine.id());
        this.datagrams = new DatagramIngest(draft, this, settings.maxObjectPayload());
        this.aliasWaiters = new AliasWaiters(settings.maxUnknownAliasStreams());
        this.peer = String.valueOf(transport.peerAddress());
        this.draftName = "draft-" + draft.number();
        this.controlBytes = new MemoryBudget(settings.maxControlBytes(), settings.controlBytes());
        this.setupDeadline = transport.eventLoop().schedule(this::setupDeadlinePassed, settings.setupTimeoutMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
        this.streamBytes = new MemoryBudget(settings.maxGatheredBytes(), engine.streamBuffers());
        this.auth = new SessionAuth(settings.authorizer(), settings.authTokenCacheBytes(),
            settings.maxAuthTokenBytes(), transport.eventLoop(), this::fail, settings.authRefusals(),
            engine::requestRefused);
    }

    /** The WebTransport CONNECT {@code :path} (its query may carry {@code jwt}), set before the session starts. */
    final void connectPath(final String pathAndQuery)
    {
        connectPath = pathAndQuery;
    }

    /**
     * SETUP's authorization (both drafts): the connection path (WebTransport's CONNECT path, or the SETUP PATH on raw
     * QUIC) with its {@code jwt}, and the SETUP's AUTHORIZATION TOKENs. A refusal closes the session with its code.
     */
    final void authorizeSetup(final java.util.Optional<moq.relay.wire.Bytes> setupPath, final List<TokenRef> tokens)
        throws WireException
    {
        auth.open(transport.overWebTransport() ? connectPath : setupPath.map(moq.relay.wire.Bytes::utf8).orElse(null),
            settings.webTransportPath(), tokens);
    }

    /**
     * No SETUP (draft-14 CLIENT_SETUP) within {@code moq.relay.session.setup.timeout} of the session's start: closed
     * with CONTROL_MESSAGE_TIMEOUT, the drafts' code for a peer that "took too long to respond to a control message"
     * (the relay's SETUP went out at start; draft-14's server waits for CLIENT_SETUP alone, the same code serves).
     */
    private void setupDeadlinePassed()
    {
        if (!closed && !setupComplete())
        {
            fail(SessionError.CONTROL_MESSAGE_TIMEOUT, "no SETUP within " + settings.setupTimeoutMillis() + "ms");
        }
    }

    /** The relay's subscription that {@code trackAlias} names on this session, or null. */
    UpstreamSubscription upstreamFor(final long trackAlias)
    {
        final UpstreamTrack track = upstreams.byAlias(trackAlias);
        return track == null ? null : track.subscription();
    }

    /** Whether the peer's SETUP (draft-14 CLIENT_SETUP) has been handled. */
    final boolean setupComplete()
    {
        return setupDone;
    }

    /** Logs the session's start, with its draft. */
    final void logOpen()
    {
        log.info("MoQT session open: peer {} {}", peer, draftName);
    }

    /** A stream the peer opened: unidirectional ones are classified by type ({@link #route}), the others are its. */
    @Override
    public final void streamOpened(final QuicStreamChannel stream)
    {
        if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
        {
            stream.pipeline().addLast(new UniStreamClassifier(draft.varint(), type -> route(stream, type)));
            return;
        }
        bidirectionalStreamOpened(stream);
    }

    /** The handler for a unidirectional stream of {@code type}, or null after failing the session. */
    abstract ChannelHandler route(QuicStreamChannel stream, long type);

    /** A bidirectional stream the peer opened (draft 14: its control stream; draft 18: a request). */
    abstract void bidirectionalStreamOpened(QuicStreamChannel stream);

    @Override
    public void datagramReceived(final ByteBuf payload)
    {
        try
        {
            if (!closed)
            {
                final long dropped = datagrams.dropped();
                datagrams.receive(payload);
                if (datagrams.dropped() != dropped)
                {
                    engine.datagramDropped(); // metrics (drops only)
                }
            }
        }
        catch (final WireException e)
        {
            fail(e);
        }
        finally
        {
            payload.release();
        }
    }

    @Override
    public void drainRequested()
    {
        goAway("");
    }

    @Override
    public void closed(final long applicationErrorCode, final String reason)
    {
        setupDeadline.cancel(false);
        if (datagrams.received() != 0)
        {
            log.info("MoQT session of peer {}: {} object datagrams received, {} dropped (unknown alias or too large)",
                peer, datagrams.received(), datagrams.dropped());
        }
        if (droppedObjects != 0)
        {
            log.info("MoQT session of peer {}: {} objects dropped by the ingest (store exhausted or too large)", peer,
                droppedObjects);
        }
        if (!closed)
        {
            closed = true;
            log.info("MoQT session closed: peer {} {}: {}", peer, draftName, reason);
            if (!setupComplete())
            {
                engine.setupFailed("closed_before_setup"); // metrics
            }
        }
        engine.close();
    }

    @Override
    public void fail(final WireException e)
    {
        fail(e.error(), e.getMessage());
    }

    final void fail(final SessionError error, final String reason)
    {
        if (!closed)
        {
            closed = true;
            log.info("MoQT session closed: peer {} {}: {} {}", peer, draftName, error, reason);
            if (!setupComplete())
            {
                engine.setupFailed(error.name().toLowerCase(java.util.Locale.ROOT)); // metrics
            }
        }
        transport.close(error.code(), reason);
    }

    /**
     * Runs an engine callback or {@link Publisher} call on the event loop, always as a later task: the engine calls
     * with its control lock held, possibly from inside this session's own engine call, and the task may call the
     * engine again. Tasks run in call order (an answer before the announcements it precedes); objects cannot overtake
     * a SUBSCRIBE_OK because a subscription's writer is unwritable until the answer is written.
     */
    @Override
    public final void onLoop(final Runnable task)
    {
        transport.eventLoop().execute(task);
    }

    // ---- RequestContext

    @Override
    public final Session engine()
    {
        return engine;
    }

    @Override
    public final MoqTransport transport()
    {
        return transport;
    }

    @Override
    public final Draft draft()
    {
        return draft;
    }

    @Override
    public final boolean closed()
    {
        return closed;
    }

    @Override
    public final void aliasKnown(final long trackAlias)
    {
        aliasWaiters.known(trackAlias);
    }

    @Override
    public final SessionAuth auth()
    {
        return auth;
    }

    @Override
    public final UpstreamTracks upstreams()
    {
        return upstreams;
    }

    @Override
    public final long publishDoneGraceMillis()
    {
        return settings.publishDoneGraceMillis();
    }

    // ---- Publisher: the engine's SUBSCRIBE, Forward changes and cancels of the tracks the peer sends

    @Override
    public final void subscribe(final UpstreamSubscription subscription)
    {
        onLoop(() ->
        {
            if (closed)
            {
                subscription.reject(moq.relay.engine.RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
                return;
            }
            subscribeUpstream(subscription);
        });
    }

    /** A track alias of the relay's for this session, unused so far. */
    final long nextAlias()
    {
        return nextAlias++;
    }

    /** The handler of a subgroup stream the peer opened: its objects into the engine. */
    final SubgroupIngestHandler subgroupIngest()
    {
        return new SubgroupIngestHandler(draft, this, settings.maxObjectProperties(), settings.maxObjectPayload(),
            settings.unknownAliasWaitMillis());
    }

    /** Sends the relay's SUBSCRIBE for {@code subscription} as the draft does ({@link UpstreamTrack} subclass). */
    abstract void subscribeUpstream(UpstreamSubscription subscription);

    @Override
    public final void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        onLoop(() ->
        {
            final UpstreamTrack track = upstreams.of(subscription);
            if (track != null)
            {
                track.forward(forward);
            }
        });
    }

    @Override
    public final void unsubscribe(final UpstreamSubscription subscription)
    {
        onLoop(() ->
        {
            final UpstreamTrack track = upstreams.of(subscription);
            if (track != null)
            {
                track.unsubscribe();
            }
        });
    }

    // ---- data streams of the peer

    /**
     * Only an alias a SUBSCRIBE_OK or PUBLISH established routes a stream: one that arrives first waits for that
     * message ({@link AliasWaiters}), whatever its alias looks like.
     */
    @Override
    public final TrackIngest ingestFor(final long trackAlias)
    {
        return upstreams.ingestFor(trackAlias);
    }

    @Override
    public final void streamStarted(final long trackAlias)
    {
        upstreams.streamStarted(trackAlias);
    }

    @Override
    public final void streamEnded(final long trackAlias)
    {
        upstreams.streamEnded(trackAlias);
    }

    // ---- SubgroupIngestHandler.Tracks: waiting for an alias, bounding what streams gather

    @Override
    public boolean awaitAlias(final long trackAlias, final Runnable onKnown)
    {
        // Before SETUP no alias can be coming (the relay has subscribed to nothing yet): such streams are discarded.
        return setupComplete() && aliasWaiters.await(trackAlias, onKnown);
    }

    @Override
    public void cancelAwait(final long trackAlias, final Runnable onKnown)
    {
        aliasWaiters.cancel(trackAlias, onKnown);
    }

    @Override
    public boolean reserveGathered(final int bytes)
    {
        return streamBytes.reserve(bytes);
    }

    @Override
    public void releaseGathered(final int bytes)
    {
        streamBytes.release(bytes);
    }

    @Override
    public void stopStream(final Channel stream, final long code)
    {
        if (stream instanceof QuicStreamChannel && stream.isActive())
        {
            transport.resetStream((QuicStreamChannel)stream, code);
        }
    }

    /**
     * {@link moq.relay.engine.TrackIngest}'s contract: an object it drops ends the subscription with EXCESSIVE_LOAD.
     * Counted here and by the engine; the subscription ends downstream now and is cancelled upstream.
     */
    @Override
    public void objectDropped(final long trackAlias)
    {
        droppedObjects++;
        final UpstreamSubscription subscription = upstreamFor(trackAlias);
        if (subscription != null)
        {
            subscription.objectDropped("the relay dropped an object of the track (store exhausted or object too large)");
            unsubscribe(subscription);
        }
    }

    /** Objects of this session's tracks the ingest dropped. */
    long droppedObjects()
    {
        return droppedObjects;
    }

    /**
     * Counts a request of the peer's the session refused itself, before the engine saw it (request metrics); its
     * kind is what the dialect read ({@link RequestMessage.Opening#kind}).
     */
    final void refusedBeforeEngine(final moq.relay.engine.RequestKind kind, final moq.relay.engine.RequestErrorCode code)
    {
        engine.requestRefused(kind, code);
    }

    static String truncate(final String reason)
    {
        final String r = reason == null ? "" : reason;
        return r.length() > 1024 ? r.substring(0, 1024) : r;
    }
}
