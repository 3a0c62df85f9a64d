package moq.relay.transport.quic;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a QUIC connection so that its CONNECTION_CLOSE reaches the peer even when the congestion window toward the
 * peer is spent (issue 12; docs/hardening.md, "The close of an abusive session reaching the peer").
 *
 * <p>netty 4.2.18's {@code QuicChannel.close(...)} calls {@code quiche_conn_close}, makes one send attempt and frees
 * the quiche connection at once. quiche builds a CONNECTION_CLOSE only within the congestion window (or in a probe
 * packet at a probe timeout), so a close made while the window is spent never leaves, and the peer waits for its
 * idle timeout. Here the relay calls {@code quiche_conn_close} itself, closes the connection's stream channels as
 * netty's close would (their handlers give back what they hold) and leaves the connection to quiche: it is in RFC
 * 9000's closing state (10.2), sends nothing but the CONNECTION_CLOSE (no stream frame, no MAX_STREAMS), which goes
 * out as soon as an acknowledgement opens the window or the next probe timeout fires (probes ignore the window), then
 * drains for three probe timeouts; netty frees it when quiche reports it closed (its timer handler and every receive
 * check that) and the channel goes inactive then, not at this call. quiche sends the close once and does not repeat
 * it (no answer to later packets, 10.2.1), as with netty's own close.
 *
 * <p>{@code quiche_conn_close} is package-private in netty; it is reached by reflection (netty is on the class path,
 * as {@code StreamResets} does). If that is unavailable, or quiche refuses, netty's close is used as before. A
 * backstop closes through netty after {@link #BACKSTOP_MS} should quiche never end the closing state.
 *
 * <p>Threading: call on the connection's event loop.
 */
public final class ConnectionClose
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionClose.class);

    /**
     * How long a closing connection may stay before netty frees it regardless. quiche ends the closing state itself,
     * the CONNECTION_CLOSE within about one probe timeout (tens of ms on a path with acknowledgements, up to seconds
     * after several unanswered probes) and the drain three probe timeouts after it.
     */
    static final long BACKSTOP_MS = 3_000;

    /**
     * Fired through the connection's pipeline (a user event) when it enters the closing state: its session is over,
     * although the channel stays active until quiche frees it.
     */
    public static final Object CLOSING = new Object()
    {
        @Override
        public String toString()
        {
            return "ConnectionClose.CLOSING";
        }
    };

    private static final AttributeKey<Boolean> CLOSING_ATTR = AttributeKey.valueOf(ConnectionClose.class, "closing");

    private ConnectionClose()
    {
    }

    /**
     * Closes {@code connection} with {@code code} and {@code reason}; a second call while it is closing does nothing.
     *
     * @return true when the connection is now in quiche's closing state (the channel goes inactive later), false when
     *     netty closed it at once (or it was closed already)
     */
    public static boolean close(final QuicChannel connection, final boolean applicationClose, final int code,
        final String reason)
    {
        if (!connection.isOpen())
        {
            return false;
        }
        if (connection.attr(CLOSING_ATTR).get() != null)
        {
            return true;
        }
        final byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        // Marked first: a handler that closes again while its stream is closed below finds the close under way.
        connection.attr(CLOSING_ATTR).set(Boolean.TRUE);
        if (Quiche.AVAILABLE && Quiche.close(connection, applicationClose, code, reasonBytes))
        {
            connection.pipeline().fireUserEventTriggered(CLOSING);
            connection.eventLoop().schedule(() ->
            {
                if (connection.isOpen())
                {
                    LOG.debug("{} still closing after {} ms: freed", connection, BACKSTOP_MS);
                    connection.close(applicationClose, code, Unpooled.wrappedBuffer(reasonBytes));
                }
            }, BACKSTOP_MS, TimeUnit.MILLISECONDS);
            return true;
        }
        connection.attr(CLOSING_ATTR).set(null);
        // Ownership of the reason buffer passes to close(), which releases it.
        connection.close(applicationClose, code, Unpooled.wrappedBuffer(reasonBytes));
        return false;
    }

    /** True when closes go through quiche's closing state (netty's internals were found), false when through netty. */
    public static boolean closingStateSupported()
    {
        return Quiche.AVAILABLE;
    }

    /** True once {@link #close} left {@code connection} closing in quiche. */
    public static boolean closing(final QuicChannel connection)
    {
        return connection.attr(CLOSING_ATTR).get() != null;
    }

    /** The reflective path to quiche's close ({@link NettyQuiche}); see the class comment. */
    private static final class Quiche
    {
        static final boolean AVAILABLE;
        private static final Method CONN_CLOSE;
        private static final Method READER_ADDRESS;
        private static final Method SEND_AND_FLUSH;
        private static final Method CLOSE_STREAMS;

        static
        {
            Method connClose = null;
            Method readerAddress = null;
            Method sendAndFlush = null;
            Method closeStreams = null;
            boolean available = false;
            try
            {
                connClose = NettyQuiche.quicheMethod("quiche_conn_close", long.class, boolean.class, long.class,
                    long.class, int.class);
                readerAddress = NettyQuiche.quicheMethod("readerMemoryAddress", ByteBuf.class);
                sendAndFlush = NettyQuiche.channelMethod("connectionSendAndFlush");
                closeStreams = NettyQuiche.channelMethod("closeStreams");
                available = true;
            }
            catch (final ReflectiveOperationException | RuntimeException | LinkageError ex)
            {
                LOG.warn("closing QUIC connections through quiche's closing state is unavailable with this netty " +
                    "({}); a close made while the congestion window is spent may not reach the peer", ex.toString());
            }
            CONN_CLOSE = connClose;
            READER_ADDRESS = readerAddress;
            SEND_AND_FLUSH = sendAndFlush;
            CLOSE_STREAMS = closeStreams;
            AVAILABLE = available;
        }

        private Quiche()
        {
        }

        /**
         * {@code quiche_conn_close}, netty's stream channels closed, then a send attempt; false when quiche did not take
         * the close.
         */
        static boolean close(final QuicChannel channel, final boolean app, final int code, final byte[] reason)
        {
            if (!channel.eventLoop().inEventLoop())
            {
                return false;
            }
            // quiche copies the reason; the buffer is ours and released here.
            final ByteBuf reasonBuffer = channel.alloc().directBuffer(reason.length).writeBytes(reason);
            try
            {
                final long address = NettyQuiche.connectionAddress(channel);
                if (address == 0)
                {
                    return false;
                }
                final int result = (Integer)CONN_CLOSE.invoke(null, address, app, (long)code,
                    READER_ADDRESS.invoke(null, reasonBuffer), reason.length);
                if (result < 0)
                {
                    return false; // closing or closed already (QUICHE_ERR_DONE), or an error: netty's close decides
                }
                // The streams end now, as in netty's close (their handlers give back what they hold); in the closing
                // state quiche sends none of the frames this queues (no stream credit goes back to the peer).
                CLOSE_STREAMS.invoke(channel);
                SEND_AND_FLUSH.invoke(channel); // the CONNECTION_CLOSE now, if the window allows
                return true;
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                LOG.debug("quiche close failed, closing through netty", ex);
                return false;
            }
            finally
            {
                reasonBuffer.release();
            }
        }
    }
}
