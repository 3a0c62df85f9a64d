package moq.relay.media;

/**
 * One track of an MP4 init segment, as far as a hang catalog and the fragment parser need it.
 *
 * @param codec       the WebCodecs codec string, e.g. {@code avc1.64001f}, {@code mp4a.40.2}, {@code opus}.
 * @param description the decoder configuration WebCodecs takes as {@code description} (avcC, AudioSpecificConfig),
 *                    or null when the codec needs none (Opus).
 * @param width       coded width in pixels (video), else 0.
 * @param sampleRate  Hz (audio), else 0.
 * @param defaultSampleFlags from {@code trex}: what a fragment's samples have unless the fragment says otherwise.
 */
public record Mp4Track(
    int trackId,
    Kind kind,
    long timescale,
    String codec,
    byte[] description,
    int width,
    int height,
    int sampleRate,
    int channels,
    long defaultSampleDuration,
    long defaultSampleSize,
    long defaultSampleFlags)
{
    public enum Kind
    {
        VIDEO, AUDIO
    }

    Mp4Track withDefaults(final long duration, final long size, final long flags)
    {
        return new Mp4Track(trackId, kind, timescale, codec, description, width, height, sampleRate, channels,
            duration, size, flags);
    }
}
