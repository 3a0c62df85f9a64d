package moq.relay.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes hang renditions as a fragmented MP4: an init segment built from the catalog ({@code ftyp}, {@code moov} with
 * one track per rendition: H.264 {@code avc1} from the avcC description, AAC {@code mp4a} from the
 * AudioSpecificConfig, {@code Opus}), then one {@code moof}+{@code mdat} per frame. A frame is held until the next
 * frame of its track arrives, since its duration is the gap between their timestamps. Decode times follow the
 * presentation timestamps (hang carries no other), made strictly increasing; a frame whose timestamp goes back (a
 * B-frame) gets a negative composition offset (trun version 1). Not thread-safe: one caller at a time.
 */
public final class Fmp4Muxer
{
    /** Video timestamps are kept in hang's microseconds. */
    static final long VIDEO_TIMESCALE = 1_000_000;

    private static final long SYNC_FLAGS = 0x02000000L;
    private static final long NON_SYNC_FLAGS = 0x01010000L;

    private final List<HangCatalog.Rendition> renditions;
    private final boolean[] video;
    private final long[] timescale;
    private final Pending[] pending;
    private final long[] lastDecodeTime;
    private final long[] lastDuration;
    private final long[] written;
    private final OutputStream out;
    private long sequence;

    private static final class Pending
    {
        long decodeTime;
        long compositionOffset;
        boolean sync;
        byte[] payload;
    }

    /** {@code videoCount} first entries of {@code renditions} are video, the rest audio. */
    public Fmp4Muxer(final List<HangCatalog.Rendition> renditions, final int videoCount, final OutputStream out)
    {
        this.renditions = List.copyOf(renditions);
        this.out = out;
        final int n = renditions.size();
        video = new boolean[n];
        timescale = new long[n];
        pending = new Pending[n];
        lastDecodeTime = new long[n];
        lastDuration = new long[n];
        written = new long[n];
        for (int i = 0; i < n; i++)
        {
            video[i] = i < videoCount;
            final HangCatalog.Rendition r = renditions.get(i);
            if (!video[i] && (r.sampleRate() <= 0 || r.sampleRate() > 0xffff))
            {
                throw new IllegalArgumentException("audio rendition " + r.track() + ": sample rate " + r.sampleRate() +
                    " cannot be written (1..65535)");
            }
            timescale[i] = video[i] ? VIDEO_TIMESCALE : r.sampleRate();
            lastDecodeTime[i] = -1;
        }
    }

    /** Writes ftyp and moov; throws {@link IllegalArgumentException} for a rendition MP4 cannot describe. */
    public void writeInit() throws IOException
    {
        final BoxWriter w = new BoxWriter();
        final int ftyp = w.begin("ftyp");
        w.fourCc("iso6").u32(0).fourCc("iso6").fourCc("cmfc").fourCc("isom").fourCc("mp41");
        w.end(ftyp);
        final int moov = w.begin("moov");
        final int mvhd = w.beginFull("mvhd", 0, 0);
        w.u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24)
            .u32(renditions.size() + 1L);
        w.end(mvhd);
        for (int i = 0; i < renditions.size(); i++)
        {
            trak(w, i);
        }
        final int mvex = w.begin("mvex");
        for (int i = 0; i < renditions.size(); i++)
        {
            final int trex = w.beginFull("trex", 0, 0);
            w.u32(i + 1L).u32(1).u32(0).u32(0).u32(0);
            w.end(trex);
        }
        w.end(mvex);
        w.end(moov);
        out.write(w.toByteArray());
    }

    /** Adds a frame of rendition {@code index}; writes the previous frame of that rendition, now that its length is known. */
    public void add(final int index, final long timestampMicros, final boolean sync, final byte[] payload)
        throws IOException
    {
        final long pts = video[index] ? timestampMicros : Math.round(timestampMicros * timescale[index] / 1e6);
        final long decodeTime = Math.max(pts, lastDecodeTime[index] + 1);
        final Pending previous = pending[index];
        if (previous != null)
        {
            lastDuration[index] = decodeTime - previous.decodeTime;
            writeFragment(index, previous, lastDuration[index]);
        }
        final Pending p = previous != null ? previous : new Pending();
        p.decodeTime = decodeTime;
        p.compositionOffset = pts - decodeTime;
        p.sync = sync;
        p.payload = payload;
        pending[index] = p;
        lastDecodeTime[index] = decodeTime;
    }

    /** Writes every held frame (each lasting as long as the one before it) and flushes. */
    public void finish() throws IOException
    {
        for (int i = 0; i < pending.length; i++)
        {
            if (pending[i] != null)
            {
                final long duration = lastDuration[i] > 0 ? lastDuration[i] : timescale[i] / 50;
                writeFragment(i, pending[i], duration);
                pending[i] = null;
            }
        }
        out.flush();
    }

    /** Frames written per rendition so far. */
    public long written(final int index)
    {
        return written[index];
    }

    private void writeFragment(final int index, final Pending p, final long duration) throws IOException
    {
        final BoxWriter w = new BoxWriter();
        final int moof = w.begin("moof");
        final int mfhd = w.beginFull("mfhd", 0, 0);
        w.u32(++sequence);
        w.end(mfhd);
        final int traf = w.begin("traf");
        final int tfhd = w.beginFull("tfhd", 0, 0x020000);
        w.u32(index + 1L);
        w.end(tfhd);
        final int tfdt = w.beginFull("tfdt", 1, 0);
        w.u64(p.decodeTime);
        w.end(tfdt);
        final int trun = w.beginFull("trun", 1, 0x1 | 0x100 | 0x200 | 0x400 | 0x800);
        w.u32(1);
        final int dataOffsetAt = w.length();
        w.u32(0).u32(duration).u32(p.payload.length).u32(p.sync ? SYNC_FLAGS : NON_SYNC_FLAGS)
            .u32(p.compositionOffset & 0xffffffffL);
        w.end(trun);
        w.end(traf);
        w.end(moof);
        final byte[] header = w.toByteArray();
        final int dataOffset = header.length + 8;
        header[dataOffsetAt] = (byte)(dataOffset >>> 24);
        header[dataOffsetAt + 1] = (byte)(dataOffset >>> 16);
        header[dataOffsetAt + 2] = (byte)(dataOffset >>> 8);
        header[dataOffsetAt + 3] = (byte)dataOffset;
        out.write(header);
        final long mdatSize = 8L + p.payload.length;
        out.write(new byte[] {(byte)(mdatSize >>> 24), (byte)(mdatSize >>> 16), (byte)(mdatSize >>> 8),
            (byte)mdatSize, 'm', 'd', 'a', 't'});
        out.write(p.payload);
        written[index]++;
    }

    private void trak(final BoxWriter w, final int index)
    {
        final HangCatalog.Rendition r = renditions.get(index);
        final int trak = w.begin("trak");
        final int tkhd = w.beginFull("tkhd", 0, 3);
        w.u32(0).u32(0).u32(index + 1L).u32(0).u32(0).zeros(8).u16(0).u16(0).u16(video[index] ? 0 : 0x0100).u16(0)
            .matrix().u32(video[index] ? (long)r.width() << 16 : 0).u32(video[index] ? (long)r.height() << 16 : 0);
        w.end(tkhd);
        final int mdia = w.begin("mdia");
        final int mdhd = w.beginFull("mdhd", 0, 0);
        w.u32(0).u32(0).u32(timescale[index]).u32(0).u16(0x55c4).u16(0);
        w.end(mdhd);
        final int hdlr = w.beginFull("hdlr", 0, 0);
        w.u32(0).fourCc(video[index] ? "vide" : "soun").zeros(12).bytes(
            (video[index] ? "VideoHandler\0" : "SoundHandler\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        w.end(hdlr);
        final int minf = w.begin("minf");
        if (video[index])
        {
            final int vmhd = w.beginFull("vmhd", 0, 1);
            w.zeros(8);
            w.end(vmhd);
        }
        else
        {
            final int smhd = w.beginFull("smhd", 0, 0);
            w.zeros(4);
            w.end(smhd);
        }
        final int dinf = w.begin("dinf");
        final int dref = w.beginFull("dref", 0, 0);
        w.u32(1);
        final int url = w.beginFull("url ", 0, 1);
        w.end(url);
        w.end(dref);
        w.end(dinf);
        final int stbl = w.begin("stbl");
        final int stsd = w.beginFull("stsd", 0, 0);
        w.u32(1);
        sampleEntry(w, index, r);
        w.end(stsd);
        for (final String empty : new String[] {"stts", "stsc", "stco"})
        {
            final int box = w.beginFull(empty, 0, 0);
            w.u32(0);
            w.end(box);
        }
        final int stsz = w.beginFull("stsz", 0, 0);
        w.u32(0).u32(0);
        w.end(stsz);
        w.end(stbl);
        w.end(minf);
        w.end(mdia);
        w.end(trak);
    }

    private void sampleEntry(final BoxWriter w, final int index, final HangCatalog.Rendition r)
    {
        final String codec = r.codec();
        if (video[index])
        {
            if (!codec.startsWith("avc1.") && !codec.startsWith("avc3.") || r.description() == null)
            {
                throw new IllegalArgumentException("video rendition " + r.track() + ": codec " + codec +
                    (r.description() == null ? " without a description" : "") +
                    " cannot be written (H.264 with an avcC description can)");
            }
            final int entry = w.begin(codec.substring(0, 4));
            w.zeros(6).u16(1).zeros(16).u16(r.width()).u16(r.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1)
                .zeros(32).u16(0x0018).u16(0xffff);
            final int avcC = w.begin("avcC");
            w.bytes(r.description());
            w.end(avcC);
            w.end(entry);
            return;
        }
        final boolean opus = codec.equals("opus");
        if (!opus && !codec.startsWith("mp4a.40."))
        {
            throw new IllegalArgumentException("audio rendition " + r.track() + ": codec " + codec +
                " cannot be written (AAC mp4a.40.* and opus can)");
        }
        if (opus ? r.channels() < 1 || r.channels() > 2 : r.description() == null || r.description().length > 64)
        {
            throw new IllegalArgumentException("audio rendition " + r.track() + ": " + (opus ? r.channels() +
                " Opus channels cannot be written (1 or 2 can)" : "AAC needs its AudioSpecificConfig description"));
        }
        final int entry = w.begin(opus ? "Opus" : "mp4a");
        w.zeros(6).u16(1).zeros(8).u16(r.channels()).u16(16).u16(0).u16(0).u32((long)r.sampleRate() << 16);
        if (opus)
        {
            final int dOps = w.begin("dOps");
            w.u8(0).u8(r.channels()).u16(0).u32(48_000).u16(0).u8(0);
            w.end(dOps);
        }
        else
        {
            final int esds = w.begin("esds");
            w.bytes(AacConfig.esdsPayload(r.description()));
            w.end(esds);
        }
        w.end(entry);
    }
}
