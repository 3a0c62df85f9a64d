package moq.relay.media;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Parses the {@code moov} box of a fragmented MP4 into its audio and video {@link Mp4Track}s: timescale, sample
 * entry (H.264 {@code avc1}/{@code avc3}, AAC {@code mp4a}, {@code Opus}), the WebCodecs codec string and decoder
 * description, and the {@code trex} fragment defaults. Other handlers (subtitles, metadata) are skipped; another
 * audio or video codec is refused with its name, since the catalog could not describe it.
 */
public final class InitSegment
{
    private InitSegment()
    {
    }

    public static List<Mp4Track> parse(final BoxReader.Box moov) throws Mp4FormatException
    {
        if (!moov.type().equals("moov"))
        {
            throw new Mp4FormatException("expected 'moov', got '" + moov.type() + "'");
        }
        final List<Mp4Track> tracks = new ArrayList<>();
        final BoxCursor c = moov.payload();
        BoxCursor child;
        BoxCursor mvex = null;
        while ((child = c.nextChild()) != null)
        {
            if (child.type.equals("trak"))
            {
                final Mp4Track t = track(child);
                if (t != null)
                {
                    tracks.add(t);
                }
            }
            else if (child.type.equals("mvex"))
            {
                mvex = child;
            }
        }
        if (mvex == null)
        {
            throw new Mp4FormatException("'moov' has no 'mvex': not a fragmented MP4 (ffmpeg: -movflags " +
                "cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame)");
        }
        BoxCursor trex;
        while ((trex = mvex.nextChild()) != null)
        {
            if (!trex.type.equals("trex"))
            {
                continue;
            }
            trex.skip(4);
            final long id = trex.u32();
            trex.skip(4); // default_sample_description_index
            final long duration = trex.u32();
            final long size = trex.u32();
            final long flags = trex.u32();
            for (int i = 0; i < tracks.size(); i++)
            {
                if (tracks.get(i).trackId() == id)
                {
                    tracks.set(i, tracks.get(i).withDefaults(duration, size, flags));
                }
            }
        }
        return tracks;
    }

    private static Mp4Track track(final BoxCursor trak) throws Mp4FormatException
    {
        final BoxCursor tkhd = findChild(trak, "tkhd");
        final int version = tkhd.u8();
        tkhd.skip(3 + (version == 1 ? 16 : 8));
        final int trackId = tkhd.u32AsInt("track_id");
        final BoxCursor media = findChild(trak, "mdia");
        final BoxCursor mdhd = findChild(media, "mdhd");
        final int mdhdVersion = mdhd.u8();
        mdhd.skip(3 + (mdhdVersion == 1 ? 16 : 8));
        final long timescale = mdhd.u32();
        if (timescale == 0)
        {
            throw new Mp4FormatException("track " + trackId + ": 'mdhd' timescale is 0");
        }
        final BoxCursor hdlr = findChild(media, "hdlr");
        hdlr.skip(8);
        final String handler = hdlr.fourCc();
        if (!handler.equals("vide") && !handler.equals("soun"))
        {
            return null;
        }
        final BoxCursor stsd = findChild(findChild(findChild(media, "minf"), "stbl"), "stsd");
        stsd.skip(4);
        if (stsd.u32() < 1)
        {
            throw new Mp4FormatException("track " + trackId + ": 'stsd' has no sample entry");
        }
        final BoxCursor entry = stsd.nextChild();
        if (entry == null)
        {
            throw new Mp4FormatException("track " + trackId + ": 'stsd' has no sample entry");
        }
        return handler.equals("vide") ? video(trackId, timescale, entry) : audio(trackId, timescale, entry);
    }

    private static Mp4Track video(final int trackId, final long timescale, final BoxCursor entry)
        throws Mp4FormatException
    {
        if (!entry.type.equals("avc1") && !entry.type.equals("avc3"))
        {
            throw new Mp4FormatException("track " + trackId + ": video sample entry '" + entry.type +
                "' is not supported (H.264 avc1/avc3 is; ffmpeg: -c:v libx264)");
        }
        entry.skip(8 + 16);
        final int width = entry.u16();
        final int height = entry.u16();
        entry.skip(4 + 4 + 4 + 2 + 32 + 2 + 2);
        final BoxCursor avcC = entry.require("avcC");
        final byte[] description = avcC.bytes(avcC.remaining());
        if (description.length < 4 || description[0] != 1)
        {
            throw new Mp4FormatException("track " + trackId + ": 'avcC' is not an AVCDecoderConfigurationRecord " +
                "version 1");
        }
        final String codec = entry.type + "." + HexFormat.of().formatHex(description, 1, 4).toLowerCase(Locale.ROOT);
        return new Mp4Track(trackId, Mp4Track.Kind.VIDEO, timescale, codec, description, width, height, 0, 0, 0, 0,
            0);
    }

    private static Mp4Track audio(final int trackId, final long timescale, final BoxCursor entry)
        throws Mp4FormatException
    {
        entry.skip(8);
        final int version = entry.u16();
        if (version != 0)
        {
            throw new Mp4FormatException("track " + trackId + ": QuickTime sound sample entry version " + version +
                " is not supported (write MP4, not MOV)");
        }
        entry.skip(6);
        int channels = entry.u16();
        entry.skip(6);
        final int sampleRate = (int)(entry.u32() >>> 16);
        switch (entry.type)
        {
            case "mp4a":
            {
                final byte[] asc = AacConfig.audioSpecificConfig(entry.require("esds"));
                return new Mp4Track(trackId, Mp4Track.Kind.AUDIO, timescale, AacConfig.codec(asc), asc, 0, 0,
                    AacConfig.sampleRate(asc, sampleRate), AacConfig.channels(asc, channels), 0, 0, 0);
            }
            case "Opus":
            {
                final BoxCursor dOps = entry.require("dOps");
                dOps.skip(1);
                channels = dOps.u8();
                // Opus always decodes at 48 kHz; dOps' input rate only says what was encoded.
                return new Mp4Track(trackId, Mp4Track.Kind.AUDIO, timescale, "opus", null, 0, 0, 48_000, channels,
                    0, 0, 0);
            }
            default:
                throw new Mp4FormatException("track " + trackId + ": audio sample entry '" + entry.type +
                    "' is not supported (AAC mp4a and Opus are; ffmpeg: -c:a libopus or -c:a aac)");
        }
    }

    /** The child box of this type, searched from the parent's start (children may come in any order). */
    private static BoxCursor findChild(final BoxCursor parent, final String type) throws Mp4FormatException
    {
        final BoxCursor again = new BoxCursor(parent.type, parent.array(), parent.start(), parent.length());
        return again.require(type);
    }
}
