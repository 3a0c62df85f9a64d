package moq.relay.session.lite;

import java.util.List;
import moq.relay.engine.Session;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.lite.LiteVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates moq-lite sessions for the relay's session layer: over raw QUIC (ALPN {@code moq-lite-05},
 * {@code moq-lite-04}, {@code moq-lite-03}) and over WebTransport (the same tokens as {@code wt-protocol}); lite-05
 * first in the default preference lists ({@code moq.relay.alpn}, {@code moq.relay.webtransport.protocols}), as it is
 * the version whose SETUP makes {@code @moq/net} open its Probe Stream (RTT).
 */
public final class LiteSessions
{
    /** The versions the relay serves, most preferred first. */
    public static final List<LiteVersion> SERVED = List.of(LiteVersion.LITE_05, LiteVersion.LITE_04, LiteVersion.LITE_03);

    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.session");

    private final LiteSettings settings;
    private final LiteHops hops = new LiteHops();

    public LiteSessions(final LiteSettings settings)
    {
        this.settings = settings;
    }

    /** A session on {@code transport}, not started (register it as the transport's listener, then start it). */
    public LiteSession session(final MoqTransport transport, final Session engine)
    {
        return new LiteSession(transport, engine, LiteVersion.ofAlpn(transport.protocol()), settings, hops);
    }

    /**
     * A WebTransport session that negotiated a moq-lite {@code wt-protocol}: started and returned as its listener; a
     * version the relay does not serve closes the session (PROTOCOL_VIOLATION) and gets a listener that ignores it.
     */
    public MoqTransport.Listener open(final MoqTransport transport, final Session engine)
    {
        return open(transport, engine, null);
    }

    /** As above, with the WebTransport CONNECT {@code :path} (its query may carry {@code jwt}). */
    public MoqTransport.Listener open(final MoqTransport transport, final Session engine, final String connectPath)
    {
        final LiteVersion version = LiteVersion.ofAlpn(transport.protocol());
        if (!SERVED.contains(version))
        {
            LOG.info("moq-lite session of peer {}: {} is not served", transport.peerAddress(), transport.protocol());
            transport.close(moq.relay.wire.SessionError.PROTOCOL_VIOLATION.code(), transport.protocol() +
                " is not served");
            engine.close();
            return new MoqTransport.Listener()
            {
                @Override
                public void streamOpened(final io.netty.handler.codec.quic.QuicStreamChannel stream)
                {
                }

                @Override
                public void datagramReceived(final io.netty.buffer.ByteBuf payload)
                {
                    payload.release();
                }
            };
        }
        final LiteSession session = session(transport, engine);
        session.connectPath(connectPath);
        session.start();
        return session;
    }
}
