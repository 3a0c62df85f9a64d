package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import moq.relay.transport.session.ControlLog;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireWriter;

/** Encodes control messages into ByteBufs whose ownership passes to the caller (who writes them). */
final class ControlMessages
{
    private final ControlCodec codec;
    private final WireWriter writer;
    private final ControlLog log;

    /** @param log the session's DEBUG line per message sent. */
    ControlMessages(final ControlCodec codec, final ControlLog log)
    {
        this.codec = codec;
        this.log = log;
        this.writer = new WireWriter(codec.draft().varint());
    }

    /** The framed message in a new heap buffer. Event-loop confined (reuses one writer). */
    ByteBuf encode(final ControlMessage message)
    {
        log.sent(message);
        writer.position(0);
        codec.encode(message, writer);
        return Unpooled.copiedBuffer(writer.buffer().byteArray(), 0, writer.position());
    }
}
