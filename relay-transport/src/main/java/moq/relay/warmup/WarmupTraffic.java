package moq.relay.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The shape of one warm-up round, the same for every protocol: what a video call sends, squeezed. One video group (a
 * large first object, the key frame, in some rounds a
 * very large one ({@link LargeFrames}), then small delta frames) on one subgroup stream; audio frames, each its own
 * group and stream (as {@code @moq/publish} sends Opus); and, where the protocol has them, small object datagrams.
 */
final class WarmupTraffic
{
    /** The namespace's first field (then the protocol): only the throwaway relay ever carries it. */
    static final String NAMESPACE = "moq-relay-warmup";
    static final String VIDEO = "video";
    static final String AUDIO = "audio";
    static final String DATAGRAMS = "datagrams";
    /** The track of the object above the store's maximum ({@link LargeFrames}): its subgroup is reset, nothing lost. */
    static final String OVERSIZED = "oversized";

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

    /** Size of video object {@code objectId} of round {@code round}, or {@code large}'s when one of its objects. */
    static int videoObjectBytes(final long round, final int objectId, final LargeFrames large)
    {
        final int bytes = large.objectBytes(round, objectId);
        return bytes > 0 ? bytes : videoObjectBytes(round, objectId);
    }

    /**
     * {@code length} payload bytes; the receiver (a client) owns the returned buffer. Above {@link #KEY_FRAME_BYTES} a
     * composite of slices of the same zeros (one allocation per large object: the warm-up's, never the relay's).
     */
    static ByteBuf payload(final int length)
    {
        if (length <= KEY_FRAME_BYTES)
        {
            return ZEROS.retainedSlice(0, length);
        }
        final ByteBuf[] parts = new ByteBuf[(length + KEY_FRAME_BYTES - 1) / KEY_FRAME_BYTES];
        for (int i = 0; i < parts.length; i++)
        {
            parts[i] = ZEROS.retainedSlice(0, Math.min(KEY_FRAME_BYTES, length - i * KEY_FRAME_BYTES));
        }
        return Unpooled.wrappedBuffer(parts.length, parts);
    }
}
