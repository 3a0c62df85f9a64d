package moq.relay.session.lite;

import io.netty.channel.ChannelHandlerContext;
import moq.relay.transport.session.DecodingReader;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.StreamDecoder;
import moq.relay.wire.lite.LiteControlStreamDecoder;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteVersion;

/**
 * Reads one side of a moq-lite control stream into a {@link LiteMessageSink} through a
 * {@link LiteControlStreamDecoder} (bounded message length, scratch charged to the session's budget), as a
 * {@link DecodingReader}. Malformed input or a sink's refusal closes the session ({@code Violations.fail}); a budget
 * refusal resets this stream only. Releases every ByteBuf it reads; {@code onClosed} runs once when the stream is gone
 * (FIN both ways, or reset).
 */
final class LiteControlReader extends DecodingReader
{
    interface Violations extends DecodingReader.Failures
    {
        /** The budget refused this stream's scratch: reset the stream. */
        void abandon(io.netty.channel.Channel stream);
    }

    private final LiteControlStreamDecoder decoder;
    private final Violations violations;
    private final Runnable onClosed;

    LiteControlReader(final LiteVersion version, final LiteStreamSide side, final LiteMessageSink sink,
        final int maxMessageLength, final BufferBudget budget, final Violations violations, final Runnable onClosed)
    {
        super(violations);
        this.decoder = new LiteControlStreamDecoder(version, side, sink, maxMessageLength, budget);
        this.violations = violations;
        this.onClosed = onClosed;
    }

    @Override
    protected StreamDecoder decoder()
    {
        return decoder;
    }

    @Override
    protected void abandoned(final ChannelHandlerContext ctx)
    {
        violations.abandon(ctx.channel());
    }

    @Override
    protected void gone(final ChannelHandlerContext ctx)
    {
        onClosed.run();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset or STOP_SENDING from the peer surfaces here; anything else is a bug. A reset of the peer's side
        // leaves the channel open while the relay's side is (netty-quic closes it only once both sides are done):
        // close it, so onClosed runs now (a publisher refusing a TRACK or a SUBSCRIBE, a subscriber cancelling),
        // not when the connection ends.
        if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
        {
            ctx.close();
            return;
        }
        if (!(cause instanceof java.io.IOException) && !(cause instanceof io.netty.handler.codec.quic.QuicException))
        {
            org.slf4j.LoggerFactory.getLogger("moq.relay.session").warn("moq-lite control stream {}: {}",
                ctx.channel(), cause.toString(), cause);
        }
    }
}
