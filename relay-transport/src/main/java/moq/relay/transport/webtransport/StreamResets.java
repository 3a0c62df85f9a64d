package moq.relay.transport.webtransport;

import java.lang.reflect.Method;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.transport.quic.NettyQuiche;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RESET_STREAM / STOP_SENDING with HTTP/3 error codes, which are 62-bit.
 *
 * <p>netty 4.2.18's {@code QuicStreamChannel.shutdownInput/shutdownOutput(int)} take an {@code int}, so codes
 * above 2^31 - 1 (the whole WT_APPLICATION_ERROR range, 0x52e4a40fa8db and up; draft-ietf-webtrans-http3-16 4.4)
 * cannot be sent through its API. For those, quiche's {@code quiche_conn_stream_shutdown}, which takes a 64-bit
 * code, is called through reflection (netty is on the class path, so its package-private members are reachable),
 * then netty's own shutdown follows with code 0: quiche ignores a second shutdown of the same side, while netty
 * updates its stream state and sends the packet. If the reflective path is unavailable (netty on the module path,
 * or a netty version whose internals differ), such resets fall back to H3_REQUEST_CANCELLED, which the peer
 * reports as a reset without an application error code (4.4).
 */
final class StreamResets
{
    private static final Logger LOG = LoggerFactory.getLogger(StreamResets.class);

    private StreamResets()
    {
    }

    /** True when codes beyond {@code int} reach the wire unchanged. */
    static boolean wideCodesSupported()
    {
        return WideCodes.AVAILABLE;
    }

    /** RESET_STREAM on the sending part and STOP_SENDING on the receiving part, those the stream has. */
    static void abort(final QuicStreamChannel stream, final long http3Code)
    {
        final boolean bidi = stream.type() == QuicStreamType.BIDIRECTIONAL;
        final boolean sends = bidi || stream.isLocalCreated();
        final boolean receives = bidi || !stream.isLocalCreated();
        final boolean fitsInt = http3Code >= 0 && http3Code <= Integer.MAX_VALUE;
        final boolean wide = !fitsInt && WideCodes.shutdown(stream, sends && !stream.isOutputShutdown(),
            receives && !stream.isInputShutdown(), http3Code);
        final int code = fitsInt ? (int)http3Code : wide ? 0 : (int)WebTransportErrorCodes.H3_REQUEST_CANCELLED;
        if (sends && !stream.isOutputShutdown())
        {
            stream.shutdownOutput(code);
        }
        if (receives && !stream.isInputShutdown())
        {
            stream.shutdownInput(code);
        }
    }

    /** The reflective path to quiche's 64-bit stream shutdown ({@link NettyQuiche}); see the class comment. */
    private static final class WideCodes
    {
        static final boolean AVAILABLE;
        private static final Method SHUTDOWN;
        private static final int READ;
        private static final int WRITE;

        static
        {
            Method shutdown = null;
            int read = 0;
            int write = 0;
            boolean available = false;
            try
            {
                shutdown = NettyQuiche.quicheMethod("quiche_conn_stream_shutdown", long.class, long.class,
                    int.class, long.class);
                read = NettyQuiche.quicheConstant("QUICHE_SHUTDOWN_READ");
                write = NettyQuiche.quicheConstant("QUICHE_SHUTDOWN_WRITE");
                available = true;
            }
            catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
            {
                LOG.warn("WebTransport application error codes on stream resets are unavailable with this netty " +
                    "({}); such resets carry H3_REQUEST_CANCELLED", ex.toString());
            }
            SHUTDOWN = shutdown;
            READ = read;
            WRITE = write;
            AVAILABLE = available;
        }

        private WideCodes()
        {
        }

        /** Shuts the given sides down in quiche with {@code code}; false when that was not possible. */
        static boolean shutdown(final QuicStreamChannel stream, final boolean write, final boolean read,
            final long code)
        {
            if (!AVAILABLE || !stream.eventLoop().inEventLoop() || !stream.isOpen())
            {
                return false;
            }
            try
            {
                final long address = NettyQuiche.connectionAddress(stream.parent());
                if (address == 0)
                {
                    return false;
                }
                int result = 0;
                if (write)
                {
                    result = (Integer)SHUTDOWN.invoke(null, address, stream.streamId(), WRITE, code);
                }
                if (read && result >= 0)
                {
                    result = (Integer)SHUTDOWN.invoke(null, address, stream.streamId(), READ, code);
                }
                // A quiche error (stream already gone, say): let netty's own call decide, with the fallback code.
                return result >= 0;
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                LOG.debug("64-bit stream shutdown failed, falling back", ex);
                return false;
            }
        }
    }
}
