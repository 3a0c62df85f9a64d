package moq.relay.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The shape of one warm-up round, the same for every protocol: what a video call sends, squeezed. One video group (a
 * large first object, the key frame, then small delta frames) on one subgroup stream; audio frames, each its own
 * group and stream (as {@code @moq/publish} sends Opus); and, where the protocol has them, small object datagrams.
 */
final class WarmupTraffic
{
    /** The namespace's first field (then the protocol): only the throwaway relay ever carries it. */
    static final String NAMESPACE = "moq-relay-warmup";
    static final String VIDEO = "video";
    static final String AUDIO = "audio";
    static final String DATAGRAMS = "datagrams";

    static final int KEY_FRAME_BYTES = 32 << 10;
    static final int VIDEO_OBJECTS = 15;
    static final int AUDIO_GROUPS = 8;
    static final int AUDIO_BYTES = 160;
    static final int DATAGRAM_OBJECTS = 8;
    static final int DATAGRAM_BYTES = 200;
    /** Objects of a round that travel on streams, hence always arrive: what a pair's progress is counted in. */
    static final int STREAM_OBJECTS = VIDEO_OBJECTS + AUDIO_GROUPS;
    /** Rounds a pair may have sent and not yet fully received: keeps every subscriber close behind its publisher. */
    static final int ROUNDS_IN_FLIGHT = 3;

    /**
     * Payload bytes for every object, never released: each object is a slice of it, whose release is a no-op, so the
     * clients' ownership rules hold without allocating a buffer per object. The bytes are zeros; no one reads them.
     */
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer(KEY_FRAME_BYTES).writeZero(KEY_FRAME_BYTES));

    private WarmupTraffic()
    {
    }

    /** Size of video object {@code objectId} of a group: the key frame, then 0.8-3 KiB delta frames. */
    static int videoObjectBytes(final long round, final int objectId)
    {
        return objectId == 0 ? KEY_FRAME_BYTES : 800 + (int)((round * 7 + objectId * 131) % 2300);
    }

    /** {@code length} payload bytes; the receiver (a client) owns the returned buffer. */
    static ByteBuf payload(final int length)
    {
        return ZEROS.retainedSlice(0, length);
    }
}
