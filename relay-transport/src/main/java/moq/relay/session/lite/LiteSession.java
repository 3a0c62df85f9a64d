package moq.relay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.List;
import moq.relay.engine.MemoryBudget;
import moq.relay.engine.Publisher;
import moq.relay.engine.Session;
import moq.relay.session.request.SessionAuth;
import moq.relay.transport.session.ControlLog;
import moq.relay.transport.session.LiteStreamSniffer;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.TransportSession;
import moq.relay.wire.Bytes;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.lite.Goaway;
import moq.relay.wire.lite.LiteCodec;
import moq.relay.wire.lite.LiteLimits;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Setup;
import moq.relay.transport.session.DiscardInbound;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One moq-lite session (versions 05, 04 and 03) on a QUIC connection or a WebTransport session, bound to the engine like
 * the MoQT sessions: a moq-lite subscriber's ANNOUNCE_PLEASE and SUBSCRIBE become engine namespace and track
 * subscriptions ({@link LiteSubscriptions}, {@link LiteAnnouncer}) and its FETCHes engine fetches
 * ({@link LiteFetches}), whose objects leave as Group Streams (a fetch's frames on its own Fetch Stream)
 * ({@link moq.relay.session.egress.LiteGroupWriter}); a moq-lite publisher's broadcasts, learnt through the Announce
 * Stream the relay opens to it at start, become this session's published namespaces, and the engine's upstream
 * subscriptions become SUBSCRIBEs to it ({@link LiteUpstream}), whose Group Streams feed the track logs
 * ({@link LiteGroupIngest}). The session is live at once (lite-05: the relay sends its SETUP on a Setup Stream and
 * reads the peer's, without waiting for it; except raw QUIC lite-05 with authorization on, whose requests wait in a
 * {@link LiteSetupGate} for the peer's SETUP Path, the session's connection path and token); PROBE streams are answered with the connection's smoothed RTT
 * ({@link LiteProbe}); lite-05 Track Streams with the relay's TRACK_INFO ({@link LiteTrackInfo}). docs/moq-lite.md has the mapping.
 *
 * <p>Errors: malformed input closes the session with PROTOCOL_VIOLATION (0x3, the code the later lite texts reuse
 * from MoqTransport); an unknown stream type resets that stream only (moq-lite-03 "STREAM_TYPE"). Threading: every
 * method on the transport's event loop; engine callbacks hop to it.
 */
public final class LiteSession
    implements MoqTransport.Listener, TransportSession, LiteControlReader.Violations
{
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.session");
    /** Reset code of a stream of a type the session does not serve (moq-lite names none; 0 = no error). */
    static final long RESET_UNKNOWN_STREAM = 0x0;
    /** For engine requests whose answer changes nothing on the wire (moq-lite has no reply to them). */
    static final moq.relay.engine.RequestCallback IGNORE = new moq.relay.engine.RequestCallback()
    {
        @Override
        public void ok()
        {
        }

        @Override
        public void error(final moq.relay.engine.RequestErrorCode code, final String reason)
        {
        }
    };

    final MoqTransport transport;
    final Session engine;
    final LiteVersion version;
    final LiteCodec codec;
    final LiteSettings settings;
    final String peer;
    /** Bytes this session's Group Streams gather; parent: the relay's stream buffers. */
    final MemoryBudget streamBytes;
    /** The hop chains of namespaces moq-lite publishers announced, shared by the relay's moq-lite sessions. */
    final LiteHops hops;
    /** Bytes this session's control decoders hold; parent: the relay's control budget. */
    final MemoryBudget controlBytes;
    final BufferBudget controlBudget;
    final LiteSubscriptions subscriptions;
    final LiteFetches fetches;
    final LiteUpstream upstream;
    /** The DEBUG line per control message sent and received (logger {@code moq.relay.control}). */
    final ControlLog controlLog;
    /**
     * The session's authorization (docs/auth.md, "moq-lite"): opened at start from the WebTransport URL's path and
     * {@code jwt} (raw QUIC lite has neither before lite-05: anonymous prefixes only), consulted per announce and
     * subscribe.
     */
    final SessionAuth auth;
    /** The WebTransport CONNECT {@code :path} (with query), or null on raw QUIC. */
    private String connectPath;
    /**
     * This session's random origin (hop) id, below 2^53 (the browser library reads 53-bit integers) and non-zero
     * (0 = unknown): lite-04's ANNOUNCE hop and lite-05's SETUP Origin and ANNOUNCE_OK.
     */
    final long origin = 1 + (java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 12);
    private boolean peerSetup;
    /**
     * Raw-QUIC lite-05 with authorization on: requests wait here for the peer's SETUP, whose Path opens the session's
     * authorization; null otherwise (the session is live at once).
     */
    private LiteSetupGate setupGate;
    private io.netty.util.concurrent.ScheduledFuture<?> setupDeadline;
    private long nextEngineRequest;
    boolean closed;
    private boolean goingAway;

    public LiteSession(final MoqTransport transport, final Session engine, final LiteVersion version,
        final LiteSettings settings)
    {
        this(transport, engine, version, settings, new LiteHops());
    }

    /** As above, sharing the relay's moq-lite hop chains ({@link LiteHops}) with its other moq-lite sessions. */
    LiteSession(final MoqTransport transport, final Session engine, final LiteVersion version,
        final LiteSettings settings, final LiteHops hops)
    {
        this.hops = hops;
        this.transport = transport;
        this.engine = engine;
        this.version = version;
        this.codec = LiteCodec.of(version);
        this.settings = settings;
        this.peer = String.valueOf(transport.peerAddress());
        this.streamBytes = new MemoryBudget(settings.maxGatheredBytes(), engine.streamBuffers());
        this.controlBytes = new MemoryBudget(settings.maxControlBytes(), settings.controlBytes());
        this.controlBudget = budget(controlBytes);
        this.subscriptions = new LiteSubscriptions(this);
        this.fetches = new LiteFetches(this);
        this.upstream = new LiteUpstream(this);
        this.controlLog = new ControlLog(engine.id());
        this.auth = new SessionAuth(settings.authorizer(), 0, settings.maxAuthTokenBytes(), transport.eventLoop(),
            this::fail, settings.authRefusals(), engine::requestRefused);
    }

    /** The WebTransport CONNECT {@code :path} (its query may carry {@code jwt}), set before the session starts. */
    public void connectPath(final String pathAndQuery)
    {
        connectPath = pathAndQuery;
    }

    /**
     * The session's start: logged (browser tests read this line); on lite-05 the relay's SETUP; then the relay asks
     * for the peer's broadcasts. The session is live at once on every version: lite-05 lets each endpoint send on
     * other streams before the peer's SETUP arrives (nothing the relay does depends on it).
     */
    public void start()
    {
        LOG.info("moq-lite session of peer {}: {} over {}, live ({})", peer, version,
            transport.overWebTransport() ? "WebTransport" : "raw QUIC",
            version.setupStream() ? "SETUP sent" : "no SETUP before lite-05");
        if (version.setupStream() && !transport.overWebTransport() &&
            !(settings.authorizer() instanceof moq.relay.auth.NoAuth))
        {
            // The connection path and its jwt travel in the peer's SETUP Path (docs/moq-lite.md, "Authorization").
            setupGate = new LiteSetupGate(this, controlBytes, this::route);
            setupDeadline = transport.eventLoop().schedule(() ->
            {
                if (!closed && !setupGate.isOpen())
                {
                    fail(SessionError.CONTROL_MESSAGE_TIMEOUT, "no SETUP within " + settings.setupTimeoutMillis() +
                        "ms");
                }
            }, settings.setupTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            sendSetup();
            return;
        }
        if (!openAuthorization(transport.overWebTransport() ? connectPath : null))
        {
            return;
        }
        if (version.setupStream())
        {
            sendSetup();
        }
        upstream.start();
    }

    /** Opens the session's authorization from the connection path (with its jwt); false once it refused and closed. */
    private boolean openAuthorization(final String pathAndQuery)
    {
        try
        {
            auth.open(pathAndQuery, settings.webTransportPath(), List.of());
            return true;
        }
        catch (final WireException e)
        {
            fail(e); // the token's code (UNAUTHORIZED, EXPIRED_AUTH_TOKEN, ...), as the MoQT sessions close
            return false;
        }
    }

    /**
     * The peer's SETUP on a gated session: its Path opens the authorization (none: the anonymous prefixes), then the
     * held requests run and the relay asks for the peer's broadcasts.
     */
    private void setupRead(final Setup setup)
    {
        setupDeadline.cancel(false);
        final Bytes path = setup.parameter(Setup.PATH);
        if (!openAuthorization(path == null ? null : setupPathAndQuery(path.utf8())))
        {
            return;
        }
        setupGate.open();
        upstream.start();
    }

    /**
     * The path and query of a SETUP Path: as sent when it is one ({@code /moq/room?jwt=...}); the part after the
     * authority when a client sends its whole URL ({@code moql://host:port/moq/room?jwt=...}).
     */
    public static String setupPathAndQuery(final String value)
    {
        final int scheme = value.indexOf("://");
        if (scheme < 0)
        {
            return value;
        }
        final int path = value.indexOf('/', scheme + 3);
        final int query = value.indexOf('?', scheme + 3);
        if (path < 0 || (query >= 0 && query < path))
        {
            return query < 0 ? "" : value.substring(query);
        }
        return value.substring(path);
    }

    /**
     * lite-05: the relay's one SETUP on its unidirectional Setup Stream, then FIN. Probe = Report (the relay reports
     * the connection's bitrate and RTT on a Probe Stream; {@code @moq/net} opens one only when the peer advertises
     * it), Origin = this session's origin id; no Path (a server sends none) and no Role (client only).
     */
    private void sendSetup()
    {
        final Setup setup = new Setup(List.of(new Setup.Parameter(Setup.PROBE, varint(1)),
            new Setup.Parameter(Setup.ORIGIN, varint(origin))));
        transport.openStream(QuicStreamType.UNIDIRECTIONAL, DiscardInbound.INSTANCE).addListener(f ->
        {
            if (f.isSuccess())
            {
                final QuicStreamChannel s = (QuicStreamChannel)f.getNow();
                final byte[] body = codec.encode(setup);
                final ByteBuf out = Unpooled.buffer(1 + body.length).writeByte(LiteStreamType.SETUP).writeBytes(body);
                s.writeAndFlush(new DefaultQuicStreamFrame(out, true), s.voidPromise());
            }
        });
    }

    private static Bytes varint(final long value)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        final int n = QuicVarint.write(b, 0, value);
        return Bytes.copyOf(java.util.Arrays.copyOf(b.byteArray(), n));
    }

    public LiteVersion version()
    {
        return version;
    }

    /** The engine's publisher for this session's broadcasts. */
    public Publisher publisher()
    {
        return upstream;
    }

    long nextEngineRequestId()
    {
        return nextEngineRequest++;
    }

    // ---- streams the peer opens

    @Override
    public void streamOpened(final QuicStreamChannel stream)
    {
        stream.pipeline().addLast(new TypeSniffer());
    }

    /** Installs the handler for a peer-opened stream of {@code type}, or resets a stream of an unknown type. */
    private void route(final QuicStreamChannel stream, final long type)
    {
        if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
        {
            if (type == LiteStreamType.GROUP)
            {
                stream.pipeline().addLast(new LiteGroupIngest(version, upstream));
                return;
            }
            if (type == LiteStreamType.SETUP && version.setupStream())
            {
                stream.pipeline().addLast(reader(stream, LiteStreamSide.SETUP, new PeerSetup(), () -> { }));
                return;
            }
            unknownStream(stream, type);
            return;
        }
        if (!LiteStreamType.knownBidi(version, type))
        {
            unknownStream(stream, type);
            return;
        }
        if (setupGate != null && !setupGate.isOpen())
        {
            setupGate.hold(stream, type); // routed here again once the SETUP opened the authorization
            return;
        }
        switch ((int)type)
        {
            case LiteStreamType.ANNOUNCE:
                new LiteAnnouncer(this, stream).install();
                return;
            case LiteStreamType.SUBSCRIBE:
                subscriptions.accept(stream);
                return;
            case LiteStreamType.FETCH:
                fetches.accept(stream);
                return;
            case LiteStreamType.PROBE:
                new LiteProbe(this, stream).install();
                return;
            case LiteStreamType.TRACK:
                new LiteTrackInfo(this, stream).install();
                return;
            case LiteStreamType.GOAWAY:
                stream.pipeline().addLast(reader(stream, LiteStreamSide.GOAWAY, new SilentSink(), () -> { }));
                return;
            default:
                unknownStream(stream, type);
        }
    }

    private void unknownStream(final QuicStreamChannel stream, final long type)
    {
        LOG.debug("moq-lite session of peer {}: {} stream of type 0x{} reset", peer,
            stream.type() == QuicStreamType.UNIDIRECTIONAL ? "unidirectional" : "bidirectional", Long.toHexString(type));
        stream.pipeline().addLast(DiscardInbound.INSTANCE);
        transport.resetStream(stream, RESET_UNKNOWN_STREAM);
    }

    LiteControlReader reader(final QuicStreamChannel stream, final LiteStreamSide side,
        final moq.relay.wire.lite.LiteMessageSink sink, final Runnable onClosed)
    {
        return new LiteControlReader(version, side, new LoggedSink(sink), LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH,
            controlBudget, this, onClosed);
    }

    /** Writes one control message on {@code stream} (framing included). */
    void send(final Channel stream, final LiteMessage message)
    {
        if (stream.isActive())
        {
            controlLog.sent(message);
            stream.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(message)), stream.voidPromise());
        }
    }

    /** Writes a STREAM_TYPE then {@code message} on a stream the relay opened. */
    void sendOpener(final Channel stream, final int type, final LiteMessage message)
    {
        controlLog.sent(message);
        final byte[] body = codec.encode(message);
        final ByteBuf out = Unpooled.buffer(1 + body.length).writeByte(type).writeBytes(body);
        stream.writeAndFlush(out, stream.voidPromise());
    }

    @Override
    public void datagramReceived(final ByteBuf payload)
    {
        try
        {
            if (version.datagrams() && !closed)
            {
                upstream.datagram(payload); // lite-05: a publisher's single-frame group
            }
        }
        catch (final WireException e)
        {
            fail(e);
        }
        finally
        {
            payload.release(); // none before lite-05
        }
    }

    // ---- failures

    @Override
    public void fail(final WireException e)
    {
        fail(e.error(), e.getMessage());
    }

    void fail(final SessionError error, final String reason)
    {
        if (!closed)
        {
            closed = true;
            LOG.info("moq-lite session closed: peer {} {}: {} {}", peer, version, error, reason);
            transport.close(error.code(), reason);
        }
    }

    @Override
    public void abandon(final Channel stream)
    {
        if (stream instanceof QuicStreamChannel)
        {
            transport.resetStream((QuicStreamChannel)stream, RESET_UNKNOWN_STREAM);
        }
    }

    // ---- life cycle

    @Override
    public void goAway(final String newSessionUri)
    {
        if (goingAway || closed)
        {
            return;
        }
        goingAway = true;
        if (version.goaway())
        {
            transport.openStream(QuicStreamType.BIDIRECTIONAL, DiscardInbound.INSTANCE).addListener(f ->
            {
                if (f.isSuccess())
                {
                    final QuicStreamChannel s = (QuicStreamChannel)f.getNow();
                    sendOpener(s, LiteStreamType.GOAWAY, new Goaway(newSessionUri));
                }
            });
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
        if (!closed)
        {
            closed = true;
            LOG.info("moq-lite session closed: peer {} {}: {}", peer, version, reason);
        }
        if (setupGate != null)
        {
            setupDeadline.cancel(false);
            setupGate.close();
        }
        subscriptions.closeAll();
        fetches.closeAll();
        upstream.closeAll();
        engine.close();
    }

    static BufferBudget budget(final MemoryBudget memory)
    {
        return new BufferBudget()
        {
            @Override
            public boolean reserve(final int bytes)
            {
                return memory.reserve(bytes);
            }

            @Override
            public void release(final int bytes)
            {
                memory.release(bytes);
            }
        };
    }

    /** Logs each message of a control stream side (DEBUG) before its sink handles it. */
    private final class LoggedSink implements moq.relay.wire.lite.LiteMessageSink
    {
        private final moq.relay.wire.lite.LiteMessageSink sink;

        LoggedSink(final moq.relay.wire.lite.LiteMessageSink sink)
        {
            this.sink = sink;
        }

        @Override
        public void onMessage(final LiteMessage message) throws WireException
        {
            controlLog.received(message);
            sink.onMessage(message);
        }

        @Override
        public void onEnd() throws WireException
        {
            sink.onEnd();
        }
    }

    /** A side the relay reads and ignores (a peer's GOAWAY: the relay does not reconnect anywhere). */
    private static final class SilentSink implements moq.relay.wire.lite.LiteMessageSink
    {
        @Override
        public void onMessage(final LiteMessage message)
        {
        }

        @Override
        public void onEnd()
        {
        }
    }

    /**
     * lite-05: the peer's SETUP. A second Setup Stream is a PROTOCOL_VIOLATION; so is a Path on WebTransport (the
     * request URI routes there, lite-05 §"SETUP"). The relay needs nothing else from it: it always reports PROBEs to a
     * peer that opens a Probe Stream, whatever the peer's Probe level, and ignores Role (h15 may use it for auth).
     */
    private final class PeerSetup implements moq.relay.wire.lite.LiteMessageSink
    {
        @Override
        public void onMessage(final LiteMessage message) throws WireException
        {
            if (peerSetup)
            {
                throw WireException.protocolViolation("a second SETUP");
            }
            peerSetup = true;
            final Setup setup = (Setup)message;
            if (setup.parameter(Setup.PATH) != null && transport.overWebTransport())
            {
                throw WireException.protocolViolation("SETUP Path over WebTransport");
            }
            LOG.debug("moq-lite session of peer {}: peer SETUP {}", peer, setup);
            if (setupGate != null && !closed)
            {
                setupRead(setup);
            }
        }

        @Override
        public void onEnd()
        {
        }
    }

    /** Routes a peer-opened stream by the STREAM_TYPE it starts; drops its bytes once the session is closed. */
    private final class TypeSniffer extends LiteStreamSniffer
    {
        @Override
        protected boolean route(final QuicStreamChannel stream, final ChannelHandlerContext ctx, final long type)
        {
            if (closed)
            {
                return false;
            }
            LiteSession.this.route(stream, type); // adds the stream's handler behind this one
            return true;
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
        }
    }
}
