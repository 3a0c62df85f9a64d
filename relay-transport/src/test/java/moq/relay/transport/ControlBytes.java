package moq.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;

/** Control messages as the bytes a raw test peer writes on a stream (a fresh heap buffer per message). */
public final class ControlBytes
{
    private ControlBytes()
    {
    }

    public static ByteBuf draft18(final ControlMessage m)
    {
        return encode(Draft18ControlCodec.INSTANCE, m);
    }

    public static ByteBuf draft14(final ControlMessage m)
    {
        return encode(Draft14ControlCodec.INSTANCE, m);
    }

    public static ByteBuf encode(final ControlCodec codec, final ControlMessage m)
    {
        final WireWriter w = new WireWriter(codec.draft().varint());
        codec.encode(m, w);
        return Unpooled.copiedBuffer(w.buffer().byteArray(), 0, w.position());
    }
}
