package moq.relay.oracle;

import moq.relay.oracle.Oracle.CheckResult;
import moq.relay.oracle.Oracle.CorpusEntry;
import moq.relay.oracle.Oracle.HexEntry;
import moq.relay.wire.Bytes;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle runs, is deterministic in shape, and agrees with our varint foundation classes. */
class OracleSmokeTest
{
    /** draft-18 §1.4.1 examples: value, minimal hex. */
    private static final long[] DRAFT18_VALUES = {37, 15293, 226442877};
    private static final String[] DRAFT18_HEX = {"25", "bbbd", "ed7f3e7d"};

    @BeforeAll
    static void oracleInstalled()
    {
        Oracle.assumeAvailable();
    }

    @Test
    void corpusCoversBothDraftsAndEveryKind()
    {
        final List<CorpusEntry> corpus = Oracle.corpus();
        final Set<String> seen = corpus.stream().map(e -> e.draft() + "/" + e.kind()).collect(Collectors.toSet());
        for (final int draft : new int[] {14, 18})
        {
            for (final String kind : List.of(Oracle.CONTROL, Oracle.SUBGROUP, Oracle.FETCH, Oracle.DATAGRAM, Oracle.VARINT))
            {
                assertThat(seen).as("corpus has draft-%d %s entries", draft, kind).contains(draft + "/" + kind);
            }
        }
        final Set<String> names = new HashSet<>();
        for (final CorpusEntry e : corpus)
        {
            assertThat(names.add(e.draft() + "/" + e.name())).as("unique name %s", e).isTrue();
            assertThat(e.value()).as("value of %s", e).isNotNull();
            if (e.oracleEncoded() && !e.hasKnownIssue())
            {
                assertThat(e.reencodeIdentical()).as("oracle round-trips its own %s", e).isTrue();
            }
        }
    }

    @Test
    void draft18EmptySetupEncodesToAf000000()
    {
        final CorpusEntry setup = Oracle.corpusEntry(18, "SETUP empty");
        assertThat(setup.hex()).isEqualTo("af000000");
        assertThat(setup.wireType()).isEqualTo(0x2F00);
        assertThat(setup.value().get("type").asText()).isEqualTo("SETUP");
        assertThat(setup.value().get("setupOptions").size()).isZero();

        // The same bytes built with our varint: Type 0x2F00, Length (16) = 0.
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4]);
        final int n = MoqtVarint.write(b, 0, 0x2F00);
        b.putShort(n, (short)0, java.nio.ByteOrder.BIG_ENDIAN);
        final CheckResult r = Oracle.check(HexEntry.of(18, Oracle.CONTROL, "our empty SETUP", Arrays.copyOf(b.byteArray(), n + 2)));
        assertThat(r.roundTrips()).as(r.toString()).isTrue();
        assertThat(r.value().get("type").asText()).isEqualTo("SETUP");
    }

    @Test
    void draft18VarintExamplesMatchTheOracleBothWays()
    {
        final List<HexEntry> ours = new ArrayList<>();
        for (int i = 0; i < DRAFT18_VALUES.length; i++)
        {
            final long value = DRAFT18_VALUES[i];
            final CorpusEntry e = Oracle.corpus().stream()
                .filter(c -> c.draft() == 18 && c.kind().equals(Oracle.VARINT) && c.oracleEncoded() && Oracle.u64(c.value()) == value)
                .findFirst().orElseThrow();
            assertThat(e.hex()).isEqualTo(DRAFT18_HEX[i]);
            assertThat(encodeMoqt(value)).isEqualTo(DRAFT18_HEX[i]);
            ours.add(HexEntry.of(18, Oracle.VARINT, "our " + value, Bytes.fromHex(encodeMoqt(value))));
        }
        final List<CheckResult> results = Oracle.check(ours);
        for (int i = 0; i < results.size(); i++)
        {
            assertThat(results.get(i).roundTrips()).as(results.get(i).toString()).isTrue();
            assertThat(Oracle.u64(results.get(i).value())).isEqualTo(DRAFT18_VALUES[i]);
        }
    }

    @Test
    void everyCorpusVarintDecodesWithOurVarints()
    {
        final List<CorpusEntry> varints = new ArrayList<>(Oracle.corpus(18, Oracle.VARINT));
        varints.addAll(Oracle.corpus(14, Oracle.VARINT));
        assertThat(varints).hasSizeGreaterThan(30);
        for (final CorpusEntry e : varints)
        {
            final UnsafeBuffer b = new UnsafeBuffer(e.bytes().array());
            final long expected = Oracle.u64(e.value());
            if (e.draft() == 18)
            {
                assertThat(MoqtVarint.size(b, 0)).as("size of %s", e).isEqualTo(b.capacity());
                assertThat(MoqtVarint.value(b, 0)).as("value of %s", e).isEqualTo(expected);
                if (e.reencodeIdentical())
                {
                    assertThat(encodeMoqt(expected)).as("our encoding of %s", e).isEqualTo(e.hex());
                }
            }
            else
            {
                assertThat(QuicVarint.size(b, 0)).as("size of %s", e).isEqualTo(b.capacity());
                assertThat(QuicVarint.value(b, 0)).as("value of %s", e).isEqualTo(expected);
                if (e.reencodeIdentical())
                {
                    final UnsafeBuffer out = new UnsafeBuffer(new byte[8]);
                    final int n = QuicVarint.write(out, 0, expected);
                    assertThat(Bytes.wrap(Arrays.copyOf(out.byteArray(), n)).hex()).as("our encoding of %s", e).isEqualTo(e.hex());
                }
            }
        }
    }

    @Test
    void checkReportsUndecodableBytesWithoutFailing()
    {
        final CheckResult r = Oracle.check(new HexEntry(18, Oracle.CONTROL, "truncated", "03ff", null));
        assertThat(r.decoded()).isFalse();
        assertThat(r.decodeError()).isNotBlank();
        assertThat(r.identical()).isFalse();
    }

    private static String encodeMoqt(final long value)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[9]);
        final int n = MoqtVarint.write(b, 0, value);
        return Bytes.wrap(Arrays.copyOf(b.byteArray(), n)).hex();
    }
}
