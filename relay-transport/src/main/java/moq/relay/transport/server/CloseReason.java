package moq.relay.transport.server;

import java.nio.charset.StandardCharsets;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.util.AttributeKey;

/**
 * Why a connection closed, for its close log line. Whoever closes a connection locally (the server, or a session
 * closing with a MoQT error) records the reason first with {@link #record(Channel, String)}; otherwise the reason
 * is the peer's CONNECTION_CLOSE or the idle timeout.
 */
public final class CloseReason
{
    private static final AttributeKey<String> LOCAL_REASON = AttributeKey.valueOf(CloseReason.class, "local");

    private CloseReason()
    {
    }

    /** Records why this side is about to close the connection; the first recorded reason wins. */
    public static void record(final Channel connection, final String reason)
    {
        connection.attr(LOCAL_REASON).setIfAbsent(reason);
    }

    static String recorded(final Channel connection)
    {
        return connection.attr(LOCAL_REASON).get();
    }

    private static byte[] reasonBytes(final QuicConnectionCloseEvent peerClose)
    {
        try
        {
            return peerClose.reason();
        }
        catch (final NullPointerException ex)
        {
            // netty 4.2.18: a CONNECTION_CLOSE without reason phrase leaves the array null and reason() throws.
            return new byte[0];
        }
    }

    static String describe(final QuicConnectionCloseEvent peerClose)
    {
        final String reason = new String(reasonBytes(peerClose), StandardCharsets.UTF_8);
        final String kind = peerClose.isApplicationClose() ? "application error" :
            peerClose.isTlsError() ? "TLS alert " + QuicConnectionCloseEvent.extractTlsError(peerClose.error()) +
                ", transport error" : "transport error";
        return "peer closed: " + kind + " 0x" + Integer.toHexString(peerClose.error()) +
            (reason.isEmpty() ? "" : " \"" + reason + "\"");
    }
}
