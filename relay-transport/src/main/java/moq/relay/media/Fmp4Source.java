package moq.relay.media;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fragmented MP4 stream read box by box: the init segment first ({@code ftyp} then {@code moov}), then movie
 * fragments ({@code moof}+{@code mdat}). Boxes a live stream may carry between them ({@code styp}, {@code sidx},
 * {@code prft}, {@code free}, {@code skip}, {@code emsg}) are skipped; media data before the {@code moov} is refused.
 */
public final class Fmp4Source
{
    /** One fragment: its samples, whose bytes are in {@code mdat} ({@link Sample#offset} indexes this array). */
    public record Fragment(List<Sample> samples, byte[] mdat)
    {
    }

    private final BoxReader boxes;
    private final List<Mp4Track> tracks;
    private final Map<Integer, Mp4Track> byId = new HashMap<>();

    private Fmp4Source(final BoxReader boxes, final List<Mp4Track> tracks)
    {
        this.boxes = boxes;
        this.tracks = tracks;
        for (final Mp4Track t : tracks)
        {
            byId.put(t.trackId(), t);
        }
    }

    /** Reads up to and including the {@code moov}. */
    public static Fmp4Source open(final BoxReader boxes) throws IOException
    {
        BoxReader.Box box;
        while ((box = boxes.next()) != null)
        {
            switch (box.type())
            {
                case "moov":
                    return new Fmp4Source(boxes, InitSegment.parse(box));
                case "moof":
                case "mdat":
                    throw new Mp4FormatException("'" + box.type() + "' at byte " + box.position() +
                        " before the 'moov' (ffmpeg: -movflags cmaf+separate_moof+delay_moov+skip_trailer+" +
                        "frag_every_frame)");
                default:
                    break;
            }
        }
        throw new Mp4FormatException("input ended before a 'moov' box (no init segment)");
    }

    public List<Mp4Track> tracks()
    {
        return tracks;
    }

    /** The next fragment, or null at the end of input. */
    public Fragment next() throws IOException
    {
        BoxReader.Box box;
        while ((box = boxes.next()) != null)
        {
            switch (box.type())
            {
                case "moof":
                {
                    final BoxReader.Box mdat = boxes.next();
                    if (mdat == null)
                    {
                        throw new Mp4FormatException("input ended after the 'moof' at byte " + box.position() +
                            ", before its 'mdat'");
                    }
                    return new Fragment(MovieFragment.parse(box, mdat, byId), mdat.bytes());
                }
                case "mdat":
                    throw new Mp4FormatException("'mdat' at byte " + box.position() + " without a 'moof' before it");
                case "moov":
                    throw new Mp4FormatException("a second 'moov' at byte " + box.position() +
                        " (a new init segment mid-stream is not supported)");
                default:
                    break;
            }
        }
        return null;
    }
}
