package moq.relay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MP4 side without ffmpeg: what {@link Fmp4Muxer} writes from a catalog reads back through {@link Fmp4Source}
 * with the same codecs, timestamps and keyframes; hang frames and catalogs round-trip; malformed boxes fail with a
 * message and without allocating what their header claims.
 */
class Fmp4RoundTripTest
{
    /** An avcC as x264 writes it for 320x240 constrained baseline (level 1.3). */
    private static final byte[] AVCC = HexFormat.of().parseHex(
        "0142c00dffe100166742c00dda0507ec0440000003004000000ca3c50aa801000468ce0fc8");
    private static final byte[] AAC_LC_48K_STEREO = {0x11, (byte)0x90};

    @Test
    void muxedRenditionsReadBackWithTheirCodecsTimestampsAndKeyframes() throws Exception
    {
        final List<HangCatalog.Rendition> renditions = List.of(
            new HangCatalog.Rendition("video/hd", "avc1.42c00d", AVCC, 320, 240, 0, 0),
            new HangCatalog.Rendition("audio/data", "mp4a.40.2", AAC_LC_48K_STEREO, 0, 0, 48_000, 2));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Fmp4Muxer muxer = new Fmp4Muxer(renditions, 1, out);
        muxer.writeInit();
        muxer.add(0, 0, true, bytes("key"));
        muxer.add(1, 0, true, bytes("a0"));
        muxer.add(0, 40_000, false, bytes("delta1"));
        muxer.add(1, 21_333, true, bytes("a1"));
        muxer.add(0, 80_000, false, bytes("delta2"));
        muxer.finish();

        final Fmp4Source source = Fmp4Source.open(new BoxReader(new ByteArrayInputStream(out.toByteArray()), 1 << 20));
        assertThat(source.tracks()).extracting(Mp4Track::codec).containsExactly("avc1.42c00d", "mp4a.40.2");
        final Mp4Track video = source.tracks().get(0);
        assertThat(video.width()).isEqualTo(320);
        assertThat(video.height()).isEqualTo(240);
        assertThat(video.description()).isEqualTo(AVCC);
        final Mp4Track audio = source.tracks().get(1);
        assertThat(audio.sampleRate()).isEqualTo(48_000);
        assertThat(audio.channels()).isEqualTo(2);
        assertThat(audio.description()).isEqualTo(AAC_LC_48K_STEREO);

        final List<String> samples = new ArrayList<>();
        Fmp4Source.Fragment f;
        while ((f = source.next()) != null)
        {
            for (final Sample s : f.samples())
            {
                final Mp4Track t = s.trackId() == video.trackId() ? video : audio;
                samples.add(t.kind() + " " + s.presentationMicros(t.timescale()) + (s.sync() ? " sync " : " ") +
                    new String(f.mdat(), s.offset(), s.length(), StandardCharsets.US_ASCII));
            }
        }
        assertThat(samples).containsExactlyInAnyOrder("VIDEO 0 sync key", "VIDEO 40000 delta1", "VIDEO 80000 delta2",
            "AUDIO 0 sync a0", "AUDIO 21333 sync a1");
    }

    @Test
    void opusRenditionsGetADopsBoxAndReadBackAsOpus() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Fmp4Muxer muxer = new Fmp4Muxer(List.of(
            new HangCatalog.Rendition("audio/data", "opus", null, 0, 0, 48_000, 1)), 0, out);
        muxer.writeInit();
        final Fmp4Source source = Fmp4Source.open(new BoxReader(new ByteArrayInputStream(out.toByteArray()), 1 << 20));
        assertThat(source.tracks()).singleElement().satisfies(t ->
        {
            assertThat(t.codec()).isEqualTo("opus");
            assertThat(t.channels()).isEqualTo(1);
            assertThat(t.sampleRate()).isEqualTo(48_000);
        });
    }

    @Test
    void hangFramesCarryTheTimestampAsAQuicVarint()
    {
        for (final long micros : new long[] {0, 63, 64, 16_383, 16_384, (1L << 30) - 1, 1L << 30, (1L << 62) - 1})
        {
            final ByteBuf frame = HangFrame.encode(UnpooledByteBufAllocator.DEFAULT, micros, bytes("xyz"), 1, 2);
            assertThat(HangFrame.readTimestamp(frame)).isEqualTo(micros);
            assertThat(frame.toString(StandardCharsets.US_ASCII)).isEqualTo("yz");
            frame.release();
        }
        final ByteBuf truncated = UnpooledByteBufAllocator.DEFAULT.buffer().writeByte(0x80).writeByte(1);
        assertThat(HangFrame.readTimestamp(truncated)).isEqualTo(-1);
    }

    @Test
    void catalogRoundTripsAndReadsWhatMoqDevPublishes()
    {
        final Mp4Track video = new Mp4Track(1, Mp4Track.Kind.VIDEO, 1000, "avc1.42c00d", AVCC, 320, 240, 0, 0, 0, 0,
            0);
        final Mp4Track audio = new Mp4Track(2, Mp4Track.Kind.AUDIO, 48_000, "opus", null, 0, 0, 48_000, 2, 0, 0, 0);
        final HangCatalog catalog = HangCatalog.of(List.of(video, audio), Map.of(1, "video/hd", 2, "audio/data"));
        final HangCatalog back = HangCatalog.parse(catalog.toJson());
        assertThat(back.video()).singleElement().satisfies(r ->
        {
            assertThat(r.track()).isEqualTo("video/hd");
            assertThat(r.codec()).isEqualTo("avc1.42c00d");
            assertThat(r.description()).isEqualTo(AVCC);
            assertThat(r.width()).isEqualTo(320);
        });
        assertThat(back.audio()).singleElement().satisfies(r ->
        {
            assertThat(r.codec()).isEqualTo("opus");
            assertThat(r.channels()).isEqualTo(2);
        });

        // The shape @moq/publish writes: an explicit legacy container; a CMAF rendition is left out.
        final HangCatalog browser = HangCatalog.parse(("{\"video\":{\"renditions\":{\"video/hd\":{\"codec\":"
            + "\"avc1.640028\",\"container\":{\"kind\":\"legacy\"},\"codedWidth\":1280,\"codedHeight\":720},"
            + "\"video/cmaf\":{\"codec\":\"avc1.640028\",\"container\":{\"kind\":\"cmaf\",\"init\":\"AAAA\"}}},"
            + "\"priority\":60},\"audio\":{\"renditions\":{\"audio/data\":{\"codec\":\"opus\",\"container\":"
            + "{\"kind\":\"legacy\"},\"sampleRate\":48000,\"numberOfChannels\":2}},\"priority\":80}}")
            .getBytes(StandardCharsets.UTF_8));
        assertThat(browser.video()).extracting(HangCatalog.Rendition::track).containsExactly("video/hd");
        assertThat(browser.audio()).extracting(HangCatalog.Rendition::sampleRate).containsExactly(48_000);
        assertThatThrownBy(() -> HangCatalog.parse(bytes("[1,2]"))).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> HangCatalog.parse(bytes("{\"video\":{\"renditions\":{\"v\":{\"codec\":\"x\","
            + "\"description\":\"zz\"}}}}"))).hasMessageContaining("not hex");
    }

    @Test
    void aBoxLargerThanTheLimitFailsBeforeItsBytesAreRead()
    {
        // Declares 2 GiB - 1: refused from the header (nothing of that size is allocated).
        final byte[] header = {0x7f, (byte)0xff, (byte)0xff, (byte)0xff, 'm', 'd', 'a', 't'};
        assertThatThrownBy(() -> new BoxReader(new ByteArrayInputStream(header), 1 << 20).next())
            .isInstanceOf(Mp4FormatException.class).hasMessageContaining("'mdat'").hasMessageContaining("1048576");
        final byte[] large = {0, 0, 0, 1, 'm', 'd', 'a', 't', 0x7f, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new BoxReader(new ByteArrayInputStream(large), 1 << 20).next())
            .isInstanceOf(Mp4FormatException.class).hasMessageContaining("declares");
    }

    @Test
    void truncatedAndSizeZeroAndOrphanBoxesFailWithAMessage()
    {
        assertThatThrownBy(() -> new BoxReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 20, 'f', 't', 'y', 'p',
            1, 2}), 1 << 20).next()).isInstanceOf(Mp4FormatException.class).hasMessageContaining("ends inside");
        assertThatThrownBy(() -> new BoxReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 0, 'm', 'd', 'a', 't'}),
            1 << 20).next()).isInstanceOf(Mp4FormatException.class).hasMessageContaining("size 0");
        assertThatThrownBy(() -> new BoxReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 4, 'f', 'r', 'e', 'e'}),
            1 << 20).next()).isInstanceOf(Mp4FormatException.class).hasMessageContaining("declares 4");
        assertThatThrownBy(() -> Fmp4Source.open(new BoxReader(new ByteArrayInputStream(new byte[] {0, 0, 0, 8, 'm',
            'd', 'a', 't'}), 1 << 20))).isInstanceOf(Mp4FormatException.class).hasMessageContaining("before the 'moov'");
    }

    @Test
    void aSampleOutsideItsMdatIsRefused() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Fmp4Muxer muxer = new Fmp4Muxer(List.of(
            new HangCatalog.Rendition("audio/data", "opus", null, 0, 0, 48_000, 2)), 0, out);
        muxer.writeInit();
        final int initLength = out.size();
        muxer.add(0, 0, true, bytes("0123456789"));
        muxer.finish();
        final byte[] stream = out.toByteArray();
        // Make the mdat claim fewer bytes than the trun's sample size: the stream stays well-formed box by box.
        final int mdat = indexOf(stream, "mdat", initLength) - 4;
        stream[mdat + 3] -= 5;
        final byte[] shortened = java.util.Arrays.copyOf(stream, stream.length - 5);
        final Fmp4Source source = Fmp4Source.open(new BoxReader(new ByteArrayInputStream(shortened), 1 << 20));
        assertThatThrownBy(source::next).isInstanceOf(Mp4FormatException.class).hasMessageContaining("outside its 'mdat'");
    }

    private static int indexOf(final byte[] haystack, final String type, final int from)
    {
        final byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        for (int i = from; i + 4 <= haystack.length; i++)
        {
            if (haystack[i] == t[0] && haystack[i + 1] == t[1] && haystack[i + 2] == t[2] && haystack[i + 3] == t[3])
            {
                return i;
            }
        }
        throw new AssertionError(type + " not found");
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
