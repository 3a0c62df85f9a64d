package moq.relay.wire.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Object Properties between draft 14's Extension Headers (absolute Types, RFC 9000 varints: draft-14
 * §"Key-Value-Pair Structure", §"Immutable Extensions") and draft 18/20's Object Properties (delta-coded Types,
 * leading-ones varints: draft-18 §"Key-Value-Pair Structure", §"Variable-Length Integers"; draft-21 §8.1, §8.3,
 * §10.7). The expected bytes are written by hand from those sections.
 */
class PropertiesTranscoderTest
{
    /**
     * A draft-14 publisher's block, in its order: {0x3C: 100} (QUIC 2-byte 0x4064), Immutable Extensions {0x3E: 7,
     * 0x25: "ab"}, {0x25: "trace"}, {0x04: 2186796243} (QUIC 8-byte, draft-14's own example value).
     */
    static final String DRAFT14 = "3c4064 0b06 3e07 25026162 25057472616365 04c00000008257dcd3";
    /**
     * The same in draft 18: sorted by Type (delta coding cannot go down), the container's pairs too; 2186796243 as
     * the 5-byte 0xf08257dcd3, 100 as the 1-byte 0x64.
     */
    static final String DRAFT18 = "04f08257dcd3 0706 25026162 1907 1a057472616365 1764";

    /** A draft-18 publisher's block: {0x02: 100}, Immutable {0x3C: 1, 0x3D: "x"}, {0x41: "hi"}, {0x70: 300}. */
    static final String FROM18 = "0264 0905 3c01 010178 36026869 2f812c";
    /** As draft 14 writes it: absolute Types, 100 as 0x4064, Types 0x41 and 0x70 and the value 300 in 2 bytes. */
    static final String TO14 = "024064 0b05 3c01 3d0178 4041026869 4070412c";

    private final PropertiesTranscoder transcoder = new PropertiesTranscoder(4096);

    private static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(Bytes.fromHex(hex.replace(" ", "")).toByteArray());
    }

    private static String hex(final DirectBuffer b, final int length)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            s.append(String.format("%02x", b.getByte(i) & 0xFF));
        }
        return s.toString();
    }

    private String toDraft18(final String hex)
    {
        final UnsafeBuffer in = buffer(hex);
        final int n = transcoder.toDraft18(in, 0, in.capacity());
        return n < 0 ? "FAILED" : hex(transcoder.buffer(), n);
    }

    private String toDraft14(final String hex)
    {
        final UnsafeBuffer in = buffer(hex);
        final int n = transcoder.toDraft14(in, 0, in.capacity());
        return n < 0 ? "FAILED" : hex(transcoder.buffer(), n);
    }

    @Test
    void draft14ExtensionHeadersBecomeSortedDeltaCodedPropertiesImmutableContentsIncluded()
    {
        assertThat(toDraft18(DRAFT14)).isEqualTo(DRAFT18.replace(" ", ""));
        assertThat(transcoder.pairsDropped()).isZero();
    }

    @Test
    void draft18PropertiesBecomeAbsoluteTypesWithQuicVarints()
    {
        assertThat(toDraft14(FROM18)).isEqualTo(TO14.replace(" ", ""));
    }

    @Test
    void theConversionsAreInversesOnCanonicalBlocks()
    {
        assertThat(toDraft14(DRAFT18)).isEqualTo(toDraft14(toDraft18(DRAFT14)));
        assertThat(toDraft18(TO14)).isEqualTo(FROM18.replace(" ", ""));
        assertThat(toDraft18(toDraft14(FROM18))).isEqualTo(FROM18.replace(" ", ""));
    }

    @Test
    void pairsOfOneTypeKeepTheirOrderAndNonMinimalVarintsBecomeMinimal()
    {
        // {0x3C: 2}, {0x04: 1}, {0x3C: 1} with 0x3C's second value as a non-minimal 2-byte QUIC varint.
        assertThat(toDraft18("3c02 0401 3c4001")).isEqualTo("0401" + "3802" + "0001");
    }

    @Test
    void emptyBlocksAndAnEmptyImmutableContainerStayEmpty()
    {
        assertThat(toDraft18("")).isEmpty();
        assertThat(toDraft18("0b00")).isEqualTo("0b00");
        assertThat(toDraft14("0b00")).isEqualTo("0b00");
    }

    @Test
    void mandatoryTrackPropertyTypesAreLeftOutTowardsDraft18WhereAnObjectCarryingOneIsMalformed()
    {
        // {0x4000: 1} (0x4000 is a 4-byte QUIC varint), {0x3C: 1}; then the same inside Immutable Extensions.
        assertThat(toDraft18("8000400001 3c01")).isEqualTo("3c01");
        assertThat(toDraft18("0b07 8000400001 3c01")).isEqualTo("0b02" + "3c01");
        assertThat(transcoder.pairsDropped()).isEqualTo(2);
    }

    @Test
    void typesAndValuesAbove2To62AreLeftOutTowardsDraft14()
    {
        // {0x02: 2^62} (9-byte leading-ones), {0x3C: 1}; then Type 2^62 itself (delta) with value 0.
        assertThat(toDraft14("02 ff4000000000000000 3a01")).isEqualTo("3c01");
        assertThat(toDraft14("3c01 ff3fffffffffffffc4 00")).isEqualTo("3c01");
        assertThat(transcoder.pairsDropped()).isEqualTo(2);
    }

    @Test
    void aBlockPastTheBudgetFails()
    {
        final PropertiesTranscoder small = new PropertiesTranscoder(8);
        final UnsafeBuffer in = buffer(DRAFT14);
        assertThat(small.toDraft18(in, 0, in.capacity())).isEqualTo(PropertiesTranscoder.FAILED);
        // More pairs than the budget's bound (capacity / 2), each of which would fit.
        final UnsafeBuffer many = buffer("3c01".repeat(5));
        assertThat(small.toDraft18(many, 0, many.capacity())).isEqualTo(PropertiesTranscoder.FAILED);
        final UnsafeBuffer four = buffer("3c01".repeat(4));
        assertThat(small.toDraft18(four, 0, four.capacity())).isEqualTo(8);
    }

    @Test
    void aBlockThatDoesNotParseFails()
    {
        assertThat(toDraft18("3c")).isEqualTo("FAILED");
        assertThat(toDraft18("3d0561")).isEqualTo("FAILED");
    }

    /** A malformed track in every draft, not a session error: the container is copied, the other pairs converted. */
    @Test
    void anImmutableContainerWhoseContentsDoNotParseIsCopiedAsBytes()
    {
        assertThat(toDraft14("0b03 3d0561 3164")).isEqualTo("0b033d0561" + "3c4064");
        assertThat(toDraft18("3c4064 0b03 3d0561")).isEqualTo("0b033d0561" + "3164");
    }

    @Test
    void convertsAtEveryOffsetOfItsSource()
    {
        final UnsafeBuffer in = new UnsafeBuffer(new byte[100]);
        final UnsafeBuffer block = buffer(DRAFT14);
        in.putBytes(37, block, 0, block.capacity());
        final int n = transcoder.toDraft18(in, 37, block.capacity());
        assertThat(hex(transcoder.buffer(), n)).isEqualTo(DRAFT18.replace(" ", ""));
    }

    /** Random valid draft-14 blocks: the draft-18 form parses as draft 18, and back to draft 14 it is sorted. */
    @Test
    void randomBlocksRoundTripThroughBothEncodings() throws WireException
    {
        final Random random = new Random(18);
        for (int run = 0; run < 2000; run++)
        {
            final UnsafeBuffer in = new UnsafeBuffer(new byte[512]);
            int p = 0;
            final int pairs = random.nextInt(8);
            for (int i = 0; i < pairs; i++)
            {
                final long type = random.nextInt(4) == 0 ? random.nextInt(1 << 14) : random.nextInt(64);
                if (type >= 0x4000 && type <= 0x7FFF || type == 0xB)
                {
                    continue;
                }
                p += moq.relay.wire.QuicVarint.write(in, p, type);
                if ((type & 1) == 1)
                {
                    final int length = random.nextInt(10);
                    p += moq.relay.wire.QuicVarint.write(in, p, length);
                    p += length;
                }
                else
                {
                    p += moq.relay.wire.QuicVarint.write(in, p, random.nextLong() >>> 2);
                }
            }
            final int n18 = transcoder.toDraft18(in, 0, p);
            assertThat(n18).isNotNegative();
            final UnsafeBuffer d18 = new UnsafeBuffer(new byte[n18]);
            d18.putBytes(0, transcoder.buffer(), 0, n18);
            ObjectProperties.validate(Draft.DRAFT_18, d18, 0, n18);
            final int n14 = transcoder.toDraft14(d18, 0, n18);
            final UnsafeBuffer d14 = new UnsafeBuffer(new byte[n14]);
            d14.putBytes(0, transcoder.buffer(), 0, n14);
            ObjectProperties.validate(Draft.DRAFT_14, d14, 0, n14);
            assertThat(transcoder.toDraft18(d14, 0, n14)).isEqualTo(n18);
            assertThat(hex(transcoder.buffer(), n18)).isEqualTo(hex(d18, n18));
        }
    }

    @Test
    void convertingAllocatesNothing()
    {
        final UnsafeBuffer d14 = buffer(DRAFT14);
        final UnsafeBuffer d18 = buffer(DRAFT18);
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += transcoder.toDraft18(d14, 0, d14.capacity()) + transcoder.toDraft14(d18, 0, d18.capacity());
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            sum += transcoder.toDraft18(d14, 0, d14.capacity()) + transcoder.toDraft14(d18, 0, d18.capacity());
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        assertThat(allocated).as("bytes allocated by 200,000 conversions").isLessThan(2_000);
    }
}
