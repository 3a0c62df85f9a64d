package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static moq.relay.wire.data.Feed.decode;
import static moq.relay.wire.data.Feed.errorOf;
import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchStreamTest
{
    private static final byte[] NONE = new byte[0];

    @Test
    void decodesHandWrittenDraft18Fetch() throws WireException
    {
        final byte[] bytes = hex(
            "05 03" +                  // FETCH_HEADER, request 3
            "1C 05 07 80 02 6869" +    // group+object delta, priority: g5 o7 p128, subgroup 0, "hi"
            "00 01 78" +               // all from prior: g5 o8 p128 s0, "x"
            "808C 05 0A" +             // End of Non-Existent Range up to (5, 10)
            "01 00" +                  // prior subgroup, object prior+1 = 11, empty
            "3F 00 03 0A 10 02 0201 00"); // group delta 0 -> g6, explicit subgroup 3, object 10, priority 16, props
        final List<String> expected = List.of(
            "fetch request=3",
            Recorder.object(5, 0, 7, 128, 0, NONE, 2), Recorder.end("hi".getBytes()),
            Recorder.object(5, 0, 8, 128, 0, NONE, 1), Recorder.end("x".getBytes()),
            "eor g=5 o=10 unknown=false",
            Recorder.object(5, 0, 11, 128, 0, NONE, 0), Recorder.end(NONE),
            Recorder.object(6, 3, 10, 16, 0, hex("0201"), 0), Recorder.end(NONE),
            "fin");
        assertThat(decode(Draft.DRAFT_18, bytes)).isEqualTo(expected);
        assertThat(Feed.decodeBytewise(Draft.DRAFT_18, bytes, true)).isEqualTo(expected);
    }

    /**
     * Draft-18 End of Range is Flags, Group ID, Object ID and nothing else, both ways (wire.data package-info). The
     * {@code @moqt/transport} form adds an Object Payload Length of 0, which this reading takes for the next item's
     * Serialization Flags: at the end of a stream that is an object cut by FIN, refused; before another object the
     * stream is misread, which is why a relay must write the form its peers read.
     */
    @Test
    void draft18EndOfRangeHasNoPayloadLengthBothWays() throws WireException
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(Draft.DRAFT_18);
        int n = encoder.writeHeader(Draft.DRAFT_18, out, 0, 1, false);
        n += encoder.writeEndOfRange(out, n, 5, 10, true);
        n += encoder.writeObject(out, n, 5, 0, false, 11, 0x80, ObjectStatus.NORMAL, null, 0, 0, 1);
        out.putByte(n++, (byte)'y');
        n += encoder.writeEndOfRange(out, n, 7, 2, false);
        final byte[] ours = Arrays.copyOf(out.byteArray(), n);
        assertThat(ours).as("no Payload Length after either marker")
            .isEqualTo(hex("05 01  810C 05 0A  10 80 01 79  808C 07 02"));
        final List<String> expected = List.of(
            "fetch request=1",
            "eor g=5 o=10 unknown=true",
            Recorder.object(5, 0, 11, 128, 0, NONE, 1), Recorder.end("y".getBytes()),
            "eor g=7 o=2 unknown=false",
            "fin");
        assertThat(decode(Draft.DRAFT_18, ours)).isEqualTo(expected);
        assertThat(Feed.decodeBytewise(Draft.DRAFT_18, ours, true)).isEqualTo(expected);

        // The oracle's form of: object (5, 7) "a", End of Range up to (5, 10), object (5, 11) "y", End of Range (7, 2).
        final byte[] oracleForm = hex("05 01  1C 05 07 80 01 61  808C 05 0A 00  10 80 01 79  808C 07 02 00");
        assertThat(errorOf(Draft.DRAFT_18, oracleForm, true)).as("the oracle's form ends in an object cut by FIN")
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        final List<String> misread = decode(Draft.DRAFT_18, Arrays.copyOf(oracleForm, 15), new int[0], false, false);
        assertThat(misread).as("the oracle's trailing 00 read as flags: an object (5, 11) of 0x10 bytes")
            .contains(Recorder.object(5, 0, 11, 0x80, 0, NONE, 0x10))
            .doesNotContain(Recorder.end("y".getBytes()));
    }

    @Test
    void decodesHandWrittenDraft14Fetch() throws WireException
    {
        final byte[] bytes = hex(
            "05 03" +
            "05 00 07 80 00 02 6869" +    // g5 s0 o7 p128, no extensions, "hi"
            "05 00 08 80 02 0201 00 03"); // g5 s0 o8, extensions, empty with status End of Group
        assertThat(decode(Draft.DRAFT_14, bytes)).containsExactly(
            "fetch request=3",
            Recorder.object(5, 0, 7, 128, 0, NONE, 2), Recorder.end("hi".getBytes()),
            Recorder.object(5, 0, 8, 128, 3, hex("0201"), 0), Recorder.end(NONE),
            "fin");
    }

    /** One fetch element for the round-trip tests: an object, or an End of Range when {@code eor != 0}. */
    private record Element(long group, long subgroup, boolean datagram, long object, int priority, byte[] props,
        byte[] payload, int eor)
    {
        static Element object(final long g, final long s, final long o, final int p, final String props, final String payload)
        {
            return new Element(g, s, false, o, p, hex(props), payload.getBytes(), 0);
        }

        static Element datagram(final long g, final long o, final int p, final String payload)
        {
            return new Element(g, 0, true, o, p, NONE, payload.getBytes(), 0);
        }

        static Element endOfRange(final long g, final long o, final boolean unknown)
        {
            return new Element(g, 0, false, o, 0, NONE, NONE, unknown ? 2 : 1);
        }
    }

    private static java.util.Set<Long> roundTrip(final Draft draft, final boolean descending, final List<Element> elements)
        throws WireException
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
        int n = encoder.writeHeader(draft, out, 0, 42, descending);
        final List<String> expected = new ArrayList<>();
        expected.add("fetch request=42");
        final java.util.Set<Long> flagsSeen = new java.util.TreeSet<>();
        for (final Element e : elements)
        {
            final int start = n;
            if (e.eor != 0)
            {
                n += encoder.writeEndOfRange(out, n, e.group, e.object, e.eor == 2);
                expected.add("eor g=" + e.group + " o=" + e.object + " unknown=" + (e.eor == 2));
            }
            else
            {
                n += encoder.writeObject(out, n, e.group, e.subgroup, e.datagram, e.object, e.priority, ObjectStatus.NORMAL,
                    new UnsafeBuffer(e.props), 0, e.props.length, e.payload.length);
                out.putBytes(n, e.payload);
                n += e.payload.length;
                final long subgroup = e.datagram ? (draft.atLeast(18) ? -1 : e.object) : e.subgroup;
                expected.add(Recorder.object(e.group, subgroup, e.object, e.priority, 0, e.props, e.payload.length));
                expected.add(Recorder.end(e.payload));
            }
            flagsSeen.add(draft.varint().valueAt(out, start));
        }
        expected.add("fin");
        final byte[] bytes = Arrays.copyOf(out.byteArray(), n);
        assertThat(decode(draft, bytes, new int[0], true, descending)).isEqualTo(expected);
        final int[] cuts = new int[bytes.length - 1];
        Arrays.setAll(cuts, i -> i + 1);
        assertThat(decode(draft, bytes, cuts, true, descending)).isEqualTo(expected);
        return flagsSeen;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void draft18FlagCombinationsRoundTrip(final boolean descending) throws WireException
    {
        final long g0 = descending ? 100 : 1;
        final long g1 = descending ? 99 : 2;
        final long g2 = descending ? 50 : 40;
        final List<Element> elements = List.of(
            Element.object(g0, 0, 0, 10, "", "a"),          // absolute group + object, subgroup 0, priority
            Element.object(g0, 0, 1, 10, "", "b"),          // everything from the prior object (flags 0x00)
            Element.object(g0, 0, 5, 10, "0201", "c"),      // object delta 4, properties
            Element.object(g0, 0, 6, 11, "", "d"),          // priority change
            Element.object(g0, 1, 7, 11, "", "e"),          // subgroup prior + 1
            Element.object(g0, 1, 8, 11, "", "f"),          // subgroup prior (explicit flag 0x01 since != 0)
            Element.object(g0, 9, 9, 11, "", "g"),          // explicit subgroup
            Element.datagram(g0, 10, 11, "h"),              // datagram bit
            Element.object(g0, 9, 11, 11, "", "i"),         // after a datagram object: explicit subgroup, not "prior"
            Element.object(g1, 0, 12, 11, "", "j"),         // next group, object prior + 1 (no object delta)
            Element.object(g1, 0, 0, 11, "", ""),           // same group, object delta back... not allowed; replaced below
            Element.endOfRange(g1, 30, false),
            Element.object(g1, 0, 31, 12, "", "k"),
            Element.endOfRange(g2, 4, true),
            Element.object(g2, 2, 9, 12, "0b0161", "l"),    // after End of Range: object delta relative to it
            Element.object(g2 + (descending ? -1 : 1), 2, 0, 12, "", "m"));
        final List<Element> valid = new ArrayList<>(elements);
        valid.remove(10);
        final java.util.Set<Long> flags = roundTrip(Draft.DRAFT_18, descending, valid);
        assertThat(flags).contains(0x00L, FetchFlags.END_OF_NON_EXISTENT_RANGE, FetchFlags.END_OF_UNKNOWN_RANGE);
        for (final int mode : new int[]{FetchFlags.SUBGROUP_PRIOR, FetchFlags.SUBGROUP_PRIOR_PLUS_ONE, FetchFlags.SUBGROUP_PRESENT})
        {
            assertThat(flags).anyMatch(f -> f < 0x40 && (f & FetchFlags.SUBGROUP_MASK) == mode);
        }
        for (final int bit : new int[]{FetchFlags.OBJECT_ID_DELTA, FetchFlags.GROUP_ID_DELTA, FetchFlags.PRIORITY,
            FetchFlags.PROPERTIES, FetchFlags.DATAGRAM})
        {
            assertThat(flags).anyMatch(f -> f < 0x80 && (f & bit) != 0);
            assertThat(flags).anyMatch(f -> f < 0x80 && (f & bit) == 0);
        }
    }

    /**
     * Regression (found by the oracle cross-check, OracleDataCheckTest): after a Datagram object the encoder referred
     * to "the prior Object's Subgroup ID" (flags 0x01 / 0x02), which that object does not have (draft-18 §"Flags",
     * §"Fetch Header"); @moqt/transport and quiche close the session on it. It now writes Subgroup ID 0 or explicit.
     */
    @Test
    void draft18EncoderNeverRefersToTheSubgroupOfADatagramObject() throws WireException
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(Draft.DRAFT_18);
        int n = encoder.writeHeader(Draft.DRAFT_18, out, 0, 1, false);
        n += encoder.writeObject(out, n, 5, 3, false, 0, 128, ObjectStatus.NORMAL, null, 0, 0, 0);
        n += encoder.writeObject(out, n, 5, 0, true, 1, 128, ObjectStatus.NORMAL, null, 0, 0, 0);
        final int sameSubgroup = n;
        n += encoder.writeObject(out, n, 5, 3, false, 2, 128, ObjectStatus.NORMAL, null, 0, 0, 0);
        n += encoder.writeObject(out, n, 5, 0, true, 3, 128, ObjectStatus.NORMAL, null, 0, 0, 0);
        final int nextSubgroup = n;
        n += encoder.writeObject(out, n, 5, 1, false, 4, 128, ObjectStatus.NORMAL, null, 0, 0, 0);
        final byte[] bytes = Arrays.copyOf(out.byteArray(), n);
        assertThat(bytes[sameSubgroup] & FetchFlags.SUBGROUP_MASK).isEqualTo(FetchFlags.SUBGROUP_PRESENT);
        assertThat(bytes[nextSubgroup] & FetchFlags.SUBGROUP_MASK).isEqualTo(FetchFlags.SUBGROUP_PRESENT);
        assertThat(bytes).isEqualTo(hex("05 01  1F 05 03 00 80 00  40 00  03 03 00  40 00  03 01 00"));
        assertThat(decode(Draft.DRAFT_18, bytes)).containsExactly(
            "fetch request=1",
            Recorder.object(5, 3, 0, 128, 0, NONE, 0), Recorder.end(NONE),
            Recorder.object(5, -1, 1, 128, 0, NONE, 0), Recorder.end(NONE),
            Recorder.object(5, 3, 2, 128, 0, NONE, 0), Recorder.end(NONE),
            Recorder.object(5, -1, 3, 128, 0, NONE, 0), Recorder.end(NONE),
            Recorder.object(5, 1, 4, 128, 0, NONE, 0), Recorder.end(NONE),
            "fin");
    }

    @Test
    void draft14FetchRoundTrips() throws WireException
    {
        roundTrip(Draft.DRAFT_14, false, List.of(
            Element.object(5, 0, 0, 10, "", "a"),
            Element.object(5, 3, 4, 20, "0201", "bb"),
            Element.datagram(6, 2, 0, "c"),
            Element.object(2, 0, 0, 0, "", "")));
    }

    @Test
    void draft18FetchRejectsMalformedFlags()
    {
        // First object not absolute: no group delta / object delta.
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  14 80 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  18 05 80 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // First object referring to a prior subgroup or priority.
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  1D 05 07 80 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  0C 05 07 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // End of Range first, then an object using the prior subgroup (there was no actual object).
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  808C 05 07  11 80 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // A Datagram object, then an object using the prior subgroup or prior + 1 (the datagram object has none).
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  1F 05 03 00 80 01 61  40 01 62  01 01 63"), true))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  1F 05 03 00 80 01 61  40 01 62  02 01 63"), true))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // Flags of 128 and above other than 0x8C / 0x10C.
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  8080 05 07 80 01 61"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  808D 05 07"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // Object ID past 2^64-1 (prior + 1).
        assertThat(errorOf(Draft.DRAFT_18, hex("05 01  1C 05 ffffffffffffffffff 80 00  00 00"), true))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void groupDeltasFollowTheGroupOrder() throws WireException
    {
        // Descending: g5, then delta 1 -> 5 - 2 = 3; then delta 3 -> below 0.
        final byte[] ok = hex("05 01  1C 05 00 80 00  08 01 00");
        final List<String> events = decode(Draft.DRAFT_18, ok, new int[0], true, true);
        assertThat(events.get(3)).isEqualTo(Recorder.object(3, 0, 1, 128, 0, NONE, 0));
        final List<String> asc = decode(Draft.DRAFT_18, ok, new int[0], true, false);
        assertThat(asc.get(3)).isEqualTo(Recorder.object(7, 0, 1, 128, 0, NONE, 0));
        try
        {
            decode(Draft.DRAFT_18, hex("05 01  1C 05 00 80 00  08 05 00"), new int[0], true, true);
            throw new AssertionError("expected underflow");
        }
        catch (final WireException ex)
        {
            assertThat(ex.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void encoderRefusesGroupsAgainstTheOrder()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(Draft.DRAFT_18);
        int n = encoder.writeHeader(Draft.DRAFT_18, out, 0, 1, false);
        n += encoder.writeObject(out, n, 5, 0, false, 0, 1, 0, null, 0, 0, 0);
        final int at = n;
        assertThatThrownBy(() -> encoder.writeObject(out, at, 4, 0, false, 0, 1, 0, null, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.writeObject(out, at, 5, 0, false, 1, 1, ObjectStatus.END_OF_GROUP, null, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestPossibleHeaderFitsTheScratchBufferInAnySplit() throws WireException
    {
        // Every varint in its 9-byte (non-minimal, still valid) form and a properties block at the bound: the
        // biggest object header a draft-18 fetch stream can carry, fed whole and byte by byte.
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        int n = 0;
        n += moq.relay.wire.MoqtVarint.write(out, n, 5, 9);
        n += moq.relay.wire.MoqtVarint.write(out, n, 1, 9);
        n += moq.relay.wire.MoqtVarint.write(out, n, 0x3F, 9);   // all flags, explicit subgroup
        n += moq.relay.wire.MoqtVarint.write(out, n, 10, 9);     // group
        n += moq.relay.wire.MoqtVarint.write(out, n, 11, 9);     // subgroup
        n += moq.relay.wire.MoqtVarint.write(out, n, 12, 9);     // object
        out.putByte(n++, (byte)7);
        n += moq.relay.wire.MoqtVarint.write(out, n, Feed.MAX_PROPERTIES, 9);
        final byte[] props = new byte[Feed.MAX_PROPERTIES];
        props[0] = 0x01;                                           // type 1, odd
        props[1] = (byte)0x80;                                     // 2-byte length 253
        props[2] = (byte)(Feed.MAX_PROPERTIES - 3);
        out.putBytes(n, props);
        n += props.length;
        n += moq.relay.wire.MoqtVarint.write(out, n, 1, 9);
        out.putByte(n++, (byte)'z');
        final byte[] bytes = Arrays.copyOf(out.byteArray(), n);
        final List<String> expected = List.of("fetch request=1", Recorder.object(10, 11, 12, 7, 0, props, 1),
            Recorder.end("z".getBytes()), "fin");
        assertThat(decode(Draft.DRAFT_18, bytes)).isEqualTo(expected);
        assertThat(Feed.decodeBytewise(Draft.DRAFT_18, bytes, true)).isEqualTo(expected);
    }
}
