package moq.relay.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a movie fragment ({@code moof} then its {@code mdat}) into {@link Sample}s that point into the {@code mdat}
 * box's bytes. Sample ranges come from {@code tfhd}, {@code tfdt} and {@code trun} (with the {@code trex} defaults)
 * and must lie inside that {@code mdat}: data offsets are resolved against the moof's position in the stream (or
 * {@code tfhd}'s explicit base), as ISO/IEC 14496-12 says, and checked.
 */
public final class MovieFragment
{
    /** More samples than this in one {@code trun} is not a live stream (and would cost memory to list). */
    static final int MAX_SAMPLES_PER_RUN = 1 << 16;

    private static final int TFHD_BASE_DATA_OFFSET = 0x1;
    private static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x2;
    private static final int TFHD_DEFAULT_DURATION = 0x8;
    private static final int TFHD_DEFAULT_SIZE = 0x10;
    private static final int TFHD_DEFAULT_FLAGS = 0x20;
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x20000;
    private static final int TRUN_DATA_OFFSET = 0x1;
    private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x4;
    private static final int TRUN_DURATION = 0x100;
    private static final int TRUN_SIZE = 0x200;
    private static final int TRUN_FLAGS = 0x400;
    private static final int TRUN_COMPOSITION_OFFSET = 0x800;
    /** sample_is_non_sync_sample in sample flags. */
    private static final long NON_SYNC = 0x10000;

    private MovieFragment()
    {
    }

    /**
     * The samples of {@code moof} whose data is in {@code mdat} (the box that follows it; CMAF puts each fragment's
     * data right after its moof); a sample of a track the init segment lacks, or outside that mdat, fails.
     */
    public static List<Sample> parse(final BoxReader.Box moof, final BoxReader.Box mdat,
        final Map<Integer, Mp4Track> tracks) throws Mp4FormatException
    {
        if (!mdat.type().equals("mdat"))
        {
            throw new Mp4FormatException("'moof' at byte " + moof.position() + " is followed by '" + mdat.type() +
                "', not 'mdat'");
        }
        final long dataStart = mdat.position() + mdat.headerLength();
        final long dataEnd = mdat.position() + mdat.bytes().length;
        final List<Sample> samples = new ArrayList<>();
        final BoxCursor c = moof.payload();
        BoxCursor traf;
        long previousEnd = moof.position();
        while ((traf = c.nextChild()) != null)
        {
            if (!traf.type.equals("traf"))
            {
                continue;
            }
            previousEnd = traf(traf, moof.position(), previousEnd, mdat.position(), dataStart, dataEnd, tracks,
                samples);
        }
        return samples;
    }

    private static long traf(final BoxCursor traf, final long moofPosition, final long previousEnd,
        final long mdatPosition, final long dataStart, final long dataEnd, final Map<Integer, Mp4Track> tracks,
        final List<Sample> out)
        throws Mp4FormatException
    {
        final BoxCursor tfhd = traf.require("tfhd");
        final int tfhdFlags = (int)(tfhd.u32() & 0xffffff);
        final int trackId = tfhd.u32AsInt("track_ID");
        final Mp4Track track = tracks.get(trackId);
        if (track == null)
        {
            throw new Mp4FormatException("'tfhd' names track " + trackId + ", which the init segment does not have");
        }
        long base = (tfhdFlags & TFHD_DEFAULT_BASE_IS_MOOF) != 0 ? moofPosition : previousEnd;
        if ((tfhdFlags & TFHD_BASE_DATA_OFFSET) != 0)
        {
            base = tfhd.u64();
        }
        if ((tfhdFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) != 0)
        {
            tfhd.skip(4);
        }
        final long defaultDuration = (tfhdFlags & TFHD_DEFAULT_DURATION) != 0 ? tfhd.u32() :
            track.defaultSampleDuration();
        final long defaultSize = (tfhdFlags & TFHD_DEFAULT_SIZE) != 0 ? tfhd.u32() : track.defaultSampleSize();
        final long defaultFlags = (tfhdFlags & TFHD_DEFAULT_FLAGS) != 0 ? tfhd.u32() : track.defaultSampleFlags();

        long decodeTime = 0;
        final BoxCursor again = new BoxCursor(traf.type, traf.array(), traf.start(), traf.length());
        final BoxCursor tfdt = again.child("tfdt");
        if (tfdt != null)
        {
            decodeTime = tfdt.u8() == 1 ? skipFlags(tfdt).u64() : skipFlags(tfdt).u32();
        }
        final BoxCursor runs = new BoxCursor(traf.type, traf.array(), traf.start(), traf.length());
        BoxCursor trun;
        long position = base;
        while ((trun = runs.nextChild()) != null)
        {
            if (!trun.type.equals("trun"))
            {
                continue;
            }
            final int version = trun.u8();
            final int flags = trun.u16() << 8 | trun.u8();
            final long count = trun.u32();
            if (count > MAX_SAMPLES_PER_RUN)
            {
                throw new Mp4FormatException("'trun' of track " + trackId + " has " + count + " samples; at most " +
                    MAX_SAMPLES_PER_RUN + " accepted");
            }
            if ((flags & TRUN_DATA_OFFSET) != 0)
            {
                position = base + (int)trun.u32();
            }
            final long firstFlags = (flags & TRUN_FIRST_SAMPLE_FLAGS) != 0 ? trun.u32() : -1;
            for (int i = 0; i < count; i++)
            {
                final long duration = (flags & TRUN_DURATION) != 0 ? trun.u32() : defaultDuration;
                final long size = (flags & TRUN_SIZE) != 0 ? trun.u32() : defaultSize;
                long sampleFlags = (flags & TRUN_FLAGS) != 0 ? trun.u32() : defaultFlags;
                if (i == 0 && firstFlags >= 0)
                {
                    sampleFlags = firstFlags;
                }
                long composition = 0;
                if ((flags & TRUN_COMPOSITION_OFFSET) != 0)
                {
                    final long raw = trun.u32();
                    composition = version == 0 ? raw : (int)raw;
                }
                if (position < dataStart || position + size > dataEnd)
                {
                    throw new Mp4FormatException("sample " + i + " of track " + trackId + " (bytes " + position +
                        ".." + (position + size) + ") is outside its 'mdat' (" + dataStart + ".." + dataEnd + ")");
                }
                final boolean sync = track.kind() == Mp4Track.Kind.AUDIO || (sampleFlags & NON_SYNC) == 0;
                out.add(new Sample(trackId, decodeTime, composition, duration, sync,
                    (int)(position - mdatPosition), (int)size));
                position += size;
                decodeTime += duration;
            }
        }
        return position;
    }

    private static BoxCursor skipFlags(final BoxCursor c) throws Mp4FormatException
    {
        c.skip(3);
        return c;
    }
}
