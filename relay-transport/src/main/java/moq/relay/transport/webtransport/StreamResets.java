package moq.relay.transport.webtransport;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;

/**
 * Stream resets with HTTP/3 error codes. netty 4.2.18's {@code shutdownInput/shutdownOutput(int)} take an
 * {@code int}, so codes above 2^31 - 1 (the whole WT_APPLICATION_ERROR range, 0x52e4a40fa8db and up) cannot be
 * sent: such resets fall back to H3_REQUEST_CANCELLED, which the peer reports as a reset without an application
 * code (draft-ietf-webtrans-http3-16 4.4).
 */
final class StreamResets
{
    private StreamResets()
    {
    }

    /** The code netty can put on the wire for {@code http3Code}. */
    static int wireCode(final long http3Code)
    {
        return http3Code >= 0 && http3Code <= Integer.MAX_VALUE ? (int)http3Code :
            (int)WebTransportErrorCodes.H3_REQUEST_CANCELLED;
    }

    /** RESET_STREAM on the sending part and STOP_SENDING on the receiving part, those the stream has. */
    static void abort(final QuicStreamChannel stream, final long http3Code)
    {
        final int code = wireCode(http3Code);
        final boolean bidi = stream.type() == QuicStreamType.BIDIRECTIONAL;
        if (bidi || stream.isLocalCreated())
        {
            if (!stream.isOutputShutdown())
            {
                stream.shutdownOutput(code);
            }
        }
        if (bidi || !stream.isLocalCreated())
        {
            if (!stream.isInputShutdown())
            {
                stream.shutdownInput(code);
            }
        }
    }
}
