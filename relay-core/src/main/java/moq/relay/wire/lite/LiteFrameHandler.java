package moq.relay.wire.lite;

import org.agrona.DirectBuffer;

/**
 * Callbacks from a {@link LiteFrameDecoder}, in stream order, on the thread that feeds it.
 *
 * <p>Buffer ownership: the buffers passed to {@link #onPayload} belong to the caller of
 * {@link LiteFrameDecoder#onData} and are valid only during the callback; copy what must outlive it (for payload,
 * into the track's log: that single copy is the only one).
 *
 * <p>Sequence: on a Group Stream one {@link #onGroup} first; then per frame {@link #onFrame}, zero or more
 * {@link #onPayload} (never empty; boundaries depend on how the bytes arrived), {@link #onFrameEnd};
 * {@link #onStreamEnd} after a clean FIN.
 */
public interface LiteFrameHandler
{
    /** The Group Stream's GROUP message (moq-lite-03 §"GROUP"). */
    void onGroup(long subscribeId, long sequence);

    /**
     * A FRAME of {@code length} payload bytes (moq-lite-03 §"FRAME").
     *
     * @param timestamp lite-05: the frame's presentation timestamp in the track's timescale (the running sum of the
     *                  zigzag deltas, from 0 at the stream's start); 0 before lite-05.
     */
    void onFrame(long length, long timestamp);

    /** {@code length} (at least 1) payload bytes of the current frame. */
    void onPayload(DirectBuffer buffer, int offset, int length);

    void onFrameEnd();

    /** FIN at a frame boundary. */
    void onStreamEnd();
}
