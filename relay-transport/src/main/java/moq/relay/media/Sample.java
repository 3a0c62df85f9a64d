package moq.relay.media;

/**
 * One sample (an encoded video or audio frame) of a movie fragment: where its bytes are in the fragment's
 * {@code mdat} box array ({@code offset}, {@code length}), its decode time and composition offset in the track's
 * timescale, and whether it is a sync sample (a keyframe).
 */
public record Sample(int trackId, long decodeTime, long compositionOffset, long duration, boolean sync,
    int offset, int length)
{
    /** Presentation time in microseconds (never negative): what hang's container carries. */
    public long presentationMicros(final long timescale)
    {
        final long pts = Math.max(0, decodeTime + compositionOffset);
        return (long)(pts * 1_000_000.0 / timescale);
    }
}
