package moq.relay.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import moq.relay.config.RelayConfiguration;

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

    /**
     * Every this many rounds the MoQT pairs' key frame is large ({@link #largeKeyFrameBytes}): the relay's path for
     * objects above a store segment and a slice (gathering over many reads, a jumbo segment, egress in 64 KiB slices)
     * runs nowhere else in the warm-up, and a first burst of 1-2 MiB objects on a cold relay compiled it meanwhile
     * (issue 12, docs/hardening.md). Rare enough that the warm-up stays call-shaped.
     */
    static final int LARGE_KEY_FRAME_EVERY = 16;
    /** At most this large: enough for the path's code, not a load test. */
    static final int LARGE_KEY_FRAME_MAX_BYTES = 2 << 20;

    /**
     * The large key frame for a relay of {@code config}: a store segment and 64 KiB more (a jumbo of two segments, and
     * more than a slice), at most {@link #LARGE_KEY_FRAME_MAX_BYTES} and what the store takes (less 1 KiB for the
     * record's header and properties); 0 (none) if that is not above an ordinary key frame.
     */
    static int largeKeyFrameBytes(final RelayConfiguration config)
    {
        final long bytes = Math.min(Math.min(config.segmentBytes() + (64L << 10), LARGE_KEY_FRAME_MAX_BYTES),
            config.storeMaxObjectBytes() - 1024L);
        return bytes > KEY_FRAME_BYTES ? (int)bytes : 0;
    }

    /** Size of video object {@code objectId} of a group: the key frame, then 0.8-3 KiB delta frames. */
    static int videoObjectBytes(final long round, final int objectId)
    {
        return objectId == 0 ? KEY_FRAME_BYTES : 800 + (int)((round * 7 + objectId * 131) % 2300);
    }

    /**
     * Size of video object {@code objectId} of round {@code round}: as {@link #videoObjectBytes(long, int)}, but every
     * {@link #LARGE_KEY_FRAME_EVERY}th round's key frame, from the third (a short warm-up on a busy box runs a dozen
     * rounds), is {@code largeKeyFrameBytes} long (when not 0).
     */
    static int videoObjectBytes(final long round, final int objectId, final int largeKeyFrameBytes)
    {
        return objectId == 0 && largeKeyFrameBytes > 0 && round % LARGE_KEY_FRAME_EVERY == 2 ?
            largeKeyFrameBytes : videoObjectBytes(round, objectId);
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
