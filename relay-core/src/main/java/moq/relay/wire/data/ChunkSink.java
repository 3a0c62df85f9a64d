package moq.relay.wire.data;

import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;

/** Something that consumes a byte stream chunk by chunk; the chunk belongs to the caller and is only borrowed. */
@FunctionalInterface
public interface ChunkSink
{
    void onData(DirectBuffer buffer, int offset, int length) throws WireException;
}
