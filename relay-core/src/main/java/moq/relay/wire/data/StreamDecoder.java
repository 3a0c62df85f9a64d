package moq.relay.wire.data;

import moq.relay.wire.WireException;

/**
 * A decoder of one incoming stream, fed its bytes chunk by chunk ({@link ChunkSink}), told of its FIN, and closed
 * when the stream is gone: what the Netty handler that reads a stream needs of it, whatever the stream's format.
 */
public interface StreamDecoder extends ChunkSink
{
    /** True once the budget refused the decoder's scratch: the rest of the stream is ignored. */
    boolean abandoned();

    /** The stream's FIN: a stream cut off mid-unit is malformed. */
    void onFin() throws WireException;

    /** The stream is gone (closed or reset mid-way): gives back what the decoder holds. */
    void close();
}
