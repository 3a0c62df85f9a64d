package moq.relay.oracle;

import moq.relay.oracle.DataPlaneValues.Datagram;
import moq.relay.oracle.DataPlaneValues.EndOfRange;
import moq.relay.oracle.DataPlaneValues.Encoded;
import moq.relay.oracle.DataPlaneValues.FetchHead;
import moq.relay.oracle.DataPlaneValues.Item;
import moq.relay.oracle.DataPlaneValues.Obj;
import moq.relay.oracle.DataPlaneValues.Stream;
import moq.relay.oracle.DataPlaneValues.SubgroupHead;
import moq.relay.oracle.Oracle.CheckResult;
import moq.relay.oracle.Oracle.HexEntry;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.DatagramType;
import moq.relay.wire.data.FetchFlags;
import moq.relay.wire.data.ObjectDatagram;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeader;
import moq.relay.wire.data.SubgroupHeaderType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java to oracle: vectors written by OUR data-plane encoders (every subgroup header type and datagram type of both
 * drafts, draft-18 fetch Serialization Flag forms in both group orders, End of Range, statuses, properties, the
 * largest ids) are decoded and re-encoded by the oracle in one {@code node check.mjs} run. Each must decode in full
 * to the value we encoded and re-encode to the same bytes, except where the oracle cannot encode the form or
 * disagrees with the draft (oracle README §1 and §4); each such case is asserted as what it is.
 */
class OracleDataCheckTest
{
    private static final Draft D14 = Draft.DRAFT_14;
    private static final Draft D18 = Draft.DRAFT_18;
    private static final long U64 = -1L;
    private static final long Q62 = QuicVarint.MAX_VALUE;
    private static final int DEFAULT = SubgroupHeader.DEFAULT_PRIORITY;

    /** The oracle's fetch encoder writes only Subgroup ID explicit + Object ID Delta + Priority (+ Group ID Delta). */
    private static final Set<Long> ORACLE_CANONICAL_FETCH_FLAGS = Set.of(0x17L, 0x1FL);

    private static final List<Case> CASES = cases();
    private static List<CheckResult> results;

    /**
     * One vector: our bytes and the value they encode. {@code flags}: our draft-18 fetch Serialization Flags per item.
     * {@code oracleEndOfRangeForm}: a draft-18 fetch stream rewritten with the oracle's trailing Payload Length after
     * each End of Range (README §4.11), to show the oracle reads the rest of our stream the same.
     */
    record Case(String name, Draft draft, String kind, byte[] bytes, Object expected, boolean descending, List<Long> flags,
        boolean oracleEndOfRangeForm)
    {
        HexEntry entry()
        {
            return new HexEntry(draft.number(), kind, name, DataPlaneValues.hex(bytes),
                Oracle.FETCH.equals(kind) && draft == D18 ? (descending ? "descending" : "ascending") : null);
        }

        boolean hasEndOfRange()
        {
            return expected instanceof Stream s && s.items().stream().anyMatch(EndOfRange.class::isInstance);
        }

        @Override
        public String toString()
        {
            return "draft-" + draft.number() + " " + kind + " " + name;
        }
    }

    @BeforeAll
    static void runTheOracleOnce()
    {
        Oracle.assumeAvailable();
        results = Oracle.check(CASES.stream().map(Case::entry).toList());
    }

    static List<Case> allCases()
    {
        return CASES;
    }

    @Test
    void ourVectorsCoverEveryHeaderAndDatagramTypeOfBothDrafts()
    {
        assertThat(results).hasSameSizeAs(CASES);
        final Set<String> seen = new HashSet<>();
        for (final Case c : CASES)
        {
            if (!Oracle.FETCH.equals(c.kind()))
            {
                seen.add(c.draft().number() + " " + c.kind() + " " + (c.bytes()[0] & 0xFF));
            }
        }
        for (int type = 0; type < 0x80; type++)
        {
            assertThat(seen.contains("18 subgroup " + type)).as("draft-18 subgroup type 0x%x", type)
                .isEqualTo(SubgroupHeaderType.isValid(D18, type));
            assertThat(seen.contains("14 subgroup " + type)).as("draft-14 subgroup type 0x%x", type)
                .isEqualTo(SubgroupHeaderType.isValid(D14, type));
            assertThat(seen.contains("18 datagram " + type)).as("draft-18 datagram type 0x%x", type)
                .isEqualTo(DatagramType.isValid(D18, type));
            assertThat(seen.contains("14 datagram " + type)).as("draft-14 datagram type 0x%x", type)
                .isEqualTo(DatagramType.isValid(D14, type));
        }
        final Set<Long> flags = new HashSet<>();
        CASES.stream().filter(c -> c.draft() == D18 && Oracle.FETCH.equals(c.kind())).forEach(c -> flags.addAll(c.flags()));
        for (final long f : new long[] {FetchFlags.SUBGROUP_ZERO, FetchFlags.SUBGROUP_PRIOR, FetchFlags.SUBGROUP_PRIOR_PLUS_ONE,
            FetchFlags.SUBGROUP_PRESENT, FetchFlags.OBJECT_ID_DELTA, FetchFlags.GROUP_ID_DELTA, FetchFlags.PRIORITY,
            FetchFlags.PROPERTIES, FetchFlags.DATAGRAM})
        {
            assertThat(flags.stream().anyMatch(x -> x < 0x80 && (f < 4 ? (x & 0x43) == f : (x & f) != 0)))
                .as("some draft-18 fetch object uses flag form 0x%x", f).isTrue();
            assertThat(flags.stream().anyMatch(x -> x < 0x80 && f >= 4 && (x & f) == 0) || f < 4)
                .as("some draft-18 fetch object omits flag 0x%x", f).isTrue();
        }
        assertThat(flags).contains(FetchFlags.END_OF_NON_EXISTENT_RANGE, FetchFlags.END_OF_UNKNOWN_RANGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void theOracleReadsOurBytes(final Case c) throws WireException
    {
        final CheckResult r = results.get(CASES.indexOf(c));
        assertThat(r.name()).isEqualTo(c.name());
        // The vector is what we meant: our own decoder reads the value back.
        if (!c.oracleEndOfRangeForm())
        {
            assertThat(ourDecode(c)).as("our decode of our %s", c).isEqualTo(c.expected());
        }
        switch (c.kind())
        {
            case Oracle.SUBGROUP -> subgroup(c, r);
            case Oracle.DATAGRAM -> datagram(c, r);
            case Oracle.FETCH -> fetch(c, r);
            default -> throw new AssertionError(c.kind());
        }
    }

    private static Object ourDecode(final Case c) throws WireException
    {
        return Oracle.DATAGRAM.equals(c.kind())
            ? DataPlaneValues.decodeDatagram(c.draft(), c.bytes())
            : DataPlaneValues.decodeStream(c.draft(), c.bytes(), 0, c.descending());
    }

    private static void subgroup(final Case c, final CheckResult r)
    {
        final boolean statusWithExtensions = ((Stream)c.expected()).items().stream()
            .anyMatch(i -> i instanceof Obj o && o.status() != ObjectStatus.NORMAL && !o.properties().isEmpty());
        if (c.draft() == D14 && statusWithExtensions)
        {
            assertRejectsExtensionsOnAStatusObject(r);
            return;
        }
        assertThat(r.roundTrips()).as(r.toString()).isTrue();
        assertThat(DataPlaneValues.subgroupFromOracle(r.value())).as("oracle's value of %s", c).isEqualTo(c.expected());
    }

    private static void datagram(final Case c, final CheckResult r)
    {
        final Datagram expected = (Datagram)c.expected();
        if (c.draft() == D14 && expected.hasStatus() && expected.status() != ObjectStatus.NORMAL && !expected.properties().isEmpty())
        {
            assertRejectsExtensionsOnAStatusObject(r);
            return;
        }
        assertThat(r.roundTrips()).as(r.toString()).isTrue();
        final Datagram theirs = DataPlaneValues.datagramFromOracle(r.value());
        if (c.draft() == D14 && (expected.type() & DatagramType.ZERO_OBJECT_ID) != 0)
        {
            // draft-14 §"Object Datagram": no Object ID field, "the Object ID is 0". The oracle says 1 (README §4.6).
            assertThat(theirs.object()).as("oracle's Object ID of %s", c).isEqualTo(1);
            assertThat(theirs).isEqualTo(new Datagram(expected.type(), expected.alias(), expected.group(), 1, expected.priority(),
                expected.endOfGroup(), expected.hasStatus(), expected.status(), expected.properties(), expected.payload()));
        }
        else
        {
            assertThat(theirs).as("oracle's value of %s", c).isEqualTo(expected);
        }
    }

    /**
     * draft-14 §"Object Extension Header": "Any Object may have extension headers except those with Object Status
     * 'Object Does Not Exist'", so End of Group / End of Track objects may carry them, and we write and read them.
     * The oracle applies the later drafts' rule (only Normal objects have properties) to draft-14 subgroup objects
     * and datagrams too, and rejects the bytes (README §4.15).
     */
    private static void assertRejectsExtensionsOnAStatusObject(final CheckResult r)
    {
        assertThat(r.decoded()).as(r.toString()).isFalse();
        assertThat(r.decodeError()).contains("ProtocolViolationError", "Extensions present on status");
    }

    private static void fetch(final Case c, final CheckResult r) throws WireException
    {
        final Stream expected = (Stream)c.expected();
        if (c.draft() == D14)
        {
            assertThat(r.decoded() && Boolean.TRUE.equals(r.consumedAll())).as(r.toString()).isTrue();
            // The oracle reports zero-length objects as endOfRange + rawStatus without Subgroup ID, Priority and
            // Extensions (its draft-16 model); the rest of the value must match.
            assertThat(DataPlaneValues.fetchFromOracle(14, r.value(), expected.items())).as("oracle's value of %s", c)
                .isEqualTo(expected);
            if (expected.items().isEmpty())
            {
                assertThat(r.identical()).as(r.toString()).isTrue();
            }
            else
            {
                // README §1: the oracle has a decoder only for draft-14 fetch objects.
                assertThat(r.reencoded()).isFalse();
                assertThat(r.reencodeError()).contains("no encoder for draft-14 fetch objects");
            }
            return;
        }
        if (c.hasEndOfRange() && !c.oracleEndOfRangeForm())
        {
            // draft-18 §"End of Range" (README §4.11): we write Flags, Group ID, Object ID; the oracle expects a Payload
            // Length after them, so it takes our next byte for one and cannot read our stream as we wrote it.
            final boolean readAsWritten = r.decoded() && Boolean.TRUE.equals(r.consumedAll()) &&
                DataPlaneValues.fetchFromOracle(18, r.value(), List.of()).equals(expected);
            assertThat(readAsWritten).as("oracle reading our End of Range form: %s", r).isFalse();
            return;
        }
        assertThat(r.decoded() && Boolean.TRUE.equals(r.consumedAll())).as(r.toString()).isTrue();
        assertThat(r.groupOrder()).isEqualTo(c.descending() ? "descending" : "ascending");
        assertThat(DataPlaneValues.fetchFromOracle(18, r.value(), List.of())).as("oracle's value of %s", c).isEqualTo(expected);
        final List<Long> theirFlags = new ArrayList<>();
        r.value().get("objects").forEach(o -> theirFlags.add(Oracle.u64(o.get("flags"))));
        assertThat(theirFlags).as("Serialization Flags the oracle read").isEqualTo(c.flags());

        final boolean properties = expected.items().stream().anyMatch(i -> i instanceof Obj o && !o.properties().isEmpty());
        final boolean datagram = expected.items().stream().anyMatch(i -> i instanceof Obj o && o.datagram());
        if (properties || datagram)
        {
            // README §1: the oracle's fetch encoder cannot write Properties or the Datagram bit.
            assertThat(r.reencoded()).isFalse();
            assertThat(r.reencodeError()).containsAnyOf("cannot write Properties", "cannot write the Datagram");
            return;
        }
        assertThat(r.reencoded()).as(r.toString()).isTrue();
        // The oracle re-encodes in its one canonical flag form: identical exactly when we chose that form too, and in
        // any case a stream our decoder reads to the same value (End of Range with the oracle's Payload Length removed).
        final boolean canonical = c.flags().stream()
            .allMatch(f -> ORACLE_CANONICAL_FETCH_FLAGS.contains(f) || f >= FetchFlags.END_OF_NON_EXISTENT_RANGE);
        assertThat(r.identical()).as("%s re-encoded identically", r).isEqualTo(canonical);
        byte[] reencoded = Bytes.fromHex(r.reencodedHex()).array();
        if (c.oracleEndOfRangeForm())
        {
            reencoded = withoutEndOfRangePayloadLength(reencoded, expected.items());
        }
        assertThat(DataPlaneValues.decodeStream(D18, reencoded, 0, c.descending())).as("our decode of the oracle's re-encoding of %s", c)
            .isEqualTo(expected);
    }

    // ─── the vectors ────────────────────────────────────────────────────

    private static List<Case> cases()
    {
        final List<Case> out = new ArrayList<>();
        subgroupCases(out, D18);
        subgroupCases(out, D14);
        datagramCases(out, D18);
        datagramCases(out, D14);
        fetch18Cases(out);
        fetch14Cases(out);
        final Set<String> names = new HashSet<>();
        out.forEach(c -> assertThat(names.add(c.draft() + c.name())).as("unique name %s", c).isTrue());
        return List.copyOf(out);
    }

    /** Every valid SUBGROUP_HEADER type, each with a few objects: gaps, empty Normal, properties, statuses. */
    private static void subgroupCases(final List<Case> out, final Draft draft)
    {
        final boolean moqt = draft == D18;
        int n = 0;
        for (int type = 0x10; type < (moqt ? 0x80 : 0x20); type++)
        {
            if (!SubgroupHeaderType.isValid(draft, type))
            {
                continue;
            }
            n++;
            final boolean props = SubgroupHeaderType.hasProperties(type);
            final int mode = SubgroupHeaderType.subgroupIdMode(type);
            final long first = mode == SubgroupHeaderType.MODE_FIRST_OBJECT_ID ? 4 + n : n % 3;
            final int priority = SubgroupHeaderType.hasPriority(type) ? (n * 37) & 0xFF : DEFAULT;
            final List<Obj> objects = new ArrayList<>();
            objects.add(o(first, ObjectStatus.NORMAL, props ? props(draft, 0x38, 1) : "", "61"));
            objects.add(o(first + 1, ObjectStatus.NORMAL, "", ""));
            if (!moqt)
            {
                objects.add(o(first + 2, ObjectStatus.DOES_NOT_EXIST, "", ""));
            }
            objects.add(o(first + 5, ObjectStatus.NORMAL, props ? props(draft, 0x0B, "3801", 0x3C, 2) : "", "626263"));
            // A status object ends the stream: End of Group on END_OF_GROUP types, else End of Track on every other one.
            if (SubgroupHeaderType.isEndOfGroup(type))
            {
                objects.add(o(first + 6, ObjectStatus.END_OF_GROUP, "", ""));
            }
            else if (n % 2 == 0)
            {
                objects.add(o(first + 6, ObjectStatus.END_OF_TRACK, moqt || !props ? "" : props(draft, 0x3E, 1), ""));
            }
            subgroup(out, draft, String.format("type 0x%02x", type), type, n, 100 + n, mode == SubgroupHeaderType.MODE_EXPLICIT ? 7 * n : 0,
                priority, objects);
        }
        final long max = moqt ? U64 : Q62;
        subgroup(out, draft, "largest ids", 0x14, max, max, max, 0, List.of(o(max, ObjectStatus.NORMAL, "", "7a")));
        subgroup(out, draft, "largest object id after a delta", 0x10, 1, 2, 0, 255,
            List.of(o(0, ObjectStatus.NORMAL, "", "61"), o(max, ObjectStatus.NORMAL, "", "62")));
        subgroup(out, draft, "header only", 0x10, 1, 2, 0, 3, List.of());
        final byte[] big = new byte[5000];
        Arrays.fill(big, (byte)0x5A);
        final byte[] bigValue = new byte[1500];
        Arrays.fill(bigValue, (byte)0xC3);
        subgroup(out, draft, "5000-byte payload, 1500-byte property", 0x11, 1, 2, 0, 3,
            List.of(o(0, ObjectStatus.NORMAL, props(draft, 0x39, DataPlaneValues.hex(bigValue)), DataPlaneValues.hex(big))));
    }

    private static void subgroup(final List<Case> out, final Draft draft, final String name, final int type, final long alias,
        final long group, final long subgroup, final int priority, final List<Obj> objects)
    {
        final boolean known = SubgroupHeaderType.subgroupIdMode(type) != SubgroupHeaderType.MODE_FIRST_OBJECT_ID;
        final SubgroupHead head = new SubgroupHead(type, alias, group,
            SubgroupHeaderType.subgroupIdMode(type) == SubgroupHeaderType.MODE_EXPLICIT ? subgroup : 0, known, priority);
        final long resolved = known ? head.subgroup() : objects.isEmpty() ? 0 : objects.get(0).object();
        final List<Item> items = new ArrayList<>();
        for (final Obj x : objects)
        {
            items.add(new Obj(group, resolved, false, x.object(), priority, x.status(), x.properties(), x.payload()));
        }
        final byte[] bytes = DataPlaneValues.encodeSubgroup(draft, head, items);
        out.add(new Case("SUBGROUP " + name, draft, Oracle.SUBGROUP, bytes, new Stream(head, List.copyOf(items), true), false,
            List.of(), false));
    }

    /** Every valid OBJECT_DATAGRAM type, with each status the type can carry. */
    private static void datagramCases(final List<Case> out, final Draft draft)
    {
        final boolean moqt = draft == D18;
        for (int type = 0; type < 0x30; type++)
        {
            if (!DatagramType.isValid(draft, type))
            {
                continue;
            }
            final boolean status = (type & DatagramType.STATUS) != 0;
            final boolean props = (type & DatagramType.PROPERTIES) != 0;
            final long[] statuses = !status ? new long[] {-1}
                : moqt ? props ? new long[] {0} : new long[] {0, 3, 4}
                : props ? new long[] {0, 3, 4} : new long[] {0, 1, 3, 4};
            for (final long st : statuses)
            {
                // Our encoder picks the type: Object ID 0 gives ZERO_OBJECT_ID (draft-14 status datagrams excepted).
                final long objectId = (type & DatagramType.ZERO_OBJECT_ID) != 0 ? 0 : status && !moqt && st == 0 ? 0 : 9 + type;
                final int priority = (type & DatagramType.DEFAULT_PRIORITY) != 0 ? ObjectDatagram.DEFAULT_PRIORITY : type * 5;
                final Datagram d = new Datagram(type, 1 + type, 1000 + type, objectId, priority, (type & DatagramType.END_OF_GROUP) != 0,
                    status, status ? st : ObjectStatus.NORMAL, props ? props(draft, 0x06, 123456, 0x39, "01") : "",
                    status ? "" : "7061796c6f6164");
                datagram(out, draft, String.format("type 0x%02x", type) + (status ? " status " + st : ""), d);
            }
        }
        final long max = moqt ? U64 : Q62;
        datagram(out, draft, "largest ids, empty payload", new Datagram(0, max, max, max, 0, false, false, 0, "", ""));
        final byte[] payload = new byte[1200];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)i;
        }
        datagram(out, draft, "1200-byte binary payload", new Datagram(0x04, 1, 2, 0, 255, false, false, 0, "", DataPlaneValues.hex(payload)));
    }

    private static void datagram(final List<Case> out, final Draft draft, final String name, final Datagram d)
    {
        final byte[] bytes = DataPlaneValues.encodeDatagram(draft, d);
        assertThat(bytes[0] & 0xFF).as("type our encoder chose for %s", name).isEqualTo(d.type());
        out.add(new Case("DATAGRAM " + name, draft, Oracle.DATAGRAM, bytes, d, false, List.of(), false));
    }

    /** Draft-18 fetch streams: each Serialization Flag form, both group orders, End of Range, 2^64-1. */
    private static void fetch18Cases(final List<Case> out)
    {
        fetch(out, "header only", 1, false, List.of());
        // Ascending, and every flag our encoder can choose, in the order it chooses them.
        fetch(out, "ascending, canonical flags only", 2, false, List.of(
            f(5, 3, 0, 10, "61"), f(5, 9, 2, 11, "62"), f(7, 2, 0, 12, "")));
        fetch(out, "ascending, every subgroup form and implicit ids", 3, false, List.of(
            f(5, 0, 0, 10, "61"),        // first: group + object delta, subgroup 0, priority
            f(5, 0, 1, 10, "62"),        // 0x00: everything from the prior object
            f(5, 0, 3, 10, ""),          // object delta, empty payload
            f(5, 1, 4, 10, "63"),        // subgroup prior + 1
            f(5, 1, 5, 20, "64"),        // subgroup prior, priority
            f(5, 7, 6, 20, "65"),        // explicit subgroup
            f(6, 7, 0, 20, "66"),        // next group, object delta 0, prior subgroup
            f(8, 0, 1, 3, "67"),         // group delta 1; object = prior + 1 across the group: no Object ID Delta
            f(8, 0, 9, 3, "68")));
        fetch(out, "descending groups", 4, true, List.of(
            f(9, 0, 0, 1, "61"), f(7, 0, 0, 1, "62"), f(6, 2, 5, 1, "63"), f(0, 0, 0, 2, "64")));
        fetch(out, "descending, canonical flags only", 5, true, List.of(f(3, 1, 2, 7, "61"), f(1, 5, 0, 8, "62")));
        fetch(out, "properties and a datagram object", 6, false, List.of(
            f(1, 2, 0, 9, "61"),
            fp(1, 2, 1, 9, props(D18, 0x38, 5), "62"),
            d(2, 0, 9, "63"),                   // Datagram bit: no Subgroup ID
            f(2, 3, 1, 9, "64"),                // prior subgroup is 2 (the datagram has none): prior + 1
            d(2, 2, 4, ""),
            fp(4, 0, 0, 4, props(D18, 0x0B, "3801", 0x3C, 2), "")));
        fetch(out, "2^64-1 ids", U64, false, List.of(f(U64, U64, U64, 255, "7a")));
        fetch(out, "descending from 2^64-1 to 0", 7, true, List.of(f(U64, 0, U64, 0, "61"), f(0, 0, 0, 0, "62")));
        fetch(out, "End of Non-Existent Range between objects", 8, false, List.of(
            f(1, 0, 0, 1, "61"), eor(1, 9, false), f(2, 0, 0, 1, "62"), eor(4, 0, true)));
        fetch(out, "End of Unknown Range first, then an object after it", 9, false, List.of(
            eor(3, 5, true), f(3, 0, 6, 8, "61"), f(3, 0, 7, 8, "62")));
        fetch(out, "descending with End of Range", 10, true, List.of(
            f(9, 0, 0, 1, "61"), eor(8, 3, false), f(7, 1, 0, 1, "62"), f(7, 1, 1, 1, "63")));
    }

    private static void fetch14Cases(final List<Case> out)
    {
        fetch(out, D14, "header only", 1, false, List.of());
        fetch(out, D14, "objects, extensions, every status", 2, false, List.of(
            f(1, 0, 0, 10, "61"),
            fp(1, 0, 1, 10, props(D14, 0x02, 1000, 0x0B, "0401"), "62"),
            new Obj(1, 1, false, 2, 11, ObjectStatus.DOES_NOT_EXIST, "", ""),
            new Obj(1, 1, false, 3, 11, ObjectStatus.NORMAL, "", ""),
            new Obj(2, 0, false, 0, 12, ObjectStatus.END_OF_GROUP, props(D14, 0x3C, 1), ""),
            new Obj(3, 0, false, 0, 12, ObjectStatus.END_OF_TRACK, "", ""),
            f(Q62, Q62, Q62, 255, "7a")));
        // §"Fetch Header": a datagram object's Subgroup ID field is its Object ID; it reads back as that subgroup.
        final List<Item> written = List.of(d(4, 6, 1, "61"));
        final Encoded e = DataPlaneValues.encodeFetch(D14, 3, false, written);
        out.add(new Case("FETCH datagram object", D14, Oracle.FETCH, e.bytes(),
            new Stream(new FetchHead(3), List.of(new Obj(4, 6, false, 6, 1, ObjectStatus.NORMAL, "", "61")), true), false, e.flags(), false));
    }

    private static void fetch(final List<Case> out, final String name, final long requestId, final boolean descending, final List<Item> items)
    {
        fetch(out, D18, name, requestId, descending, items);
    }

    private static void fetch(final List<Case> out, final Draft draft, final String name, final long requestId, final boolean descending,
        final List<Item> items)
    {
        final Encoded e = DataPlaneValues.encodeFetch(draft, requestId, descending, items);
        final Stream expected = new Stream(new FetchHead(requestId), List.copyOf(items), true);
        out.add(new Case("FETCH " + name, draft, Oracle.FETCH, e.bytes(), expected, descending, e.flags(), false));
        if (expected.items().stream().anyMatch(EndOfRange.class::isInstance))
        {
            // The same stream with the oracle's Payload Length (0x00) after each End of Range (README §4.11).
            final ByteArrayOutputStream oracleForm = new ByteArrayOutputStream();
            int from = 0;
            for (int i = 0; i < items.size(); i++)
            {
                final int end = e.ends().get(i);
                oracleForm.write(e.bytes(), from, end - from);
                if (items.get(i) instanceof EndOfRange)
                {
                    oracleForm.write(0);
                }
                from = end;
            }
            out.add(new Case("FETCH " + name + " (oracle End of Range form)", draft, Oracle.FETCH, oracleForm.toByteArray(), expected,
                descending, e.flags(), true));
        }
    }

    private static byte[] withoutEndOfRangePayloadLength(final byte[] bytes, final List<Item> items) throws WireException
    {
        // Re-encoded by the oracle: find each marker as Flags, Group ID, Object ID, 0x00 and drop the 0x00.
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (final Item item : items)
        {
            if (item instanceof EndOfRange eor)
            {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
                int n = MoqtVarint.write(b, 0, eor.unknown() ? FetchFlags.END_OF_UNKNOWN_RANGE : FetchFlags.END_OF_NON_EXISTENT_RANGE);
                n += MoqtVarint.write(b, n, eor.group());
                n += MoqtVarint.write(b, n, eor.object());
                final byte[] marker = new byte[n + 1];
                b.getBytes(0, marker, 0, n);
                int at = -1;
                for (int i = from; i <= bytes.length - marker.length && at < 0; i++)
                {
                    if (Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length))
                    {
                        at = i;
                    }
                }
                if (at < 0)
                {
                    throw WireException.protocolViolation("no End of Range " + eor + " with a Payload Length in the oracle's bytes");
                }
                out.write(bytes, from, at + n - from);
                from = at + marker.length;
            }
        }
        out.write(bytes, from, bytes.length - from);
        return out.toByteArray();
    }

    // ─── small builders ─────────────────────────────────────────────────

    /** A subgroup object; group, subgroup and priority come from the header. */
    private static Obj o(final long objectId, final long status, final String properties, final String payload)
    {
        return new Obj(0, 0, false, objectId, 0, status, properties, payload);
    }

    private static Obj f(final long group, final long subgroup, final long object, final int priority, final String payload)
    {
        return new Obj(group, subgroup, false, object, priority, ObjectStatus.NORMAL, "", payload);
    }

    private static Obj fp(final long group, final long subgroup, final long object, final int priority, final String properties,
        final String payload)
    {
        return new Obj(group, subgroup, false, object, priority, ObjectStatus.NORMAL, properties, payload);
    }

    private static Obj d(final long group, final long object, final int priority, final String payload)
    {
        return new Obj(group, 0, true, object, priority, ObjectStatus.NORMAL, "", payload);
    }

    private static EndOfRange eor(final long group, final long object, final boolean unknown)
    {
        return new EndOfRange(group, object, unknown);
    }

    /**
     * A properties block: pairs of (type, value), value a {@code long} for even types or a hex string for odd ones,
     * types ascending; draft-18 delta-codes the types (§"Key-Value-Pair"), draft-14 writes them absolute.
     */
    private static String props(final Draft draft, final Object... pairs)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[4096]);
        int n = 0;
        long prior = 0;
        for (int i = 0; i < pairs.length; i += 2)
        {
            final long type = ((Number)pairs[i]).longValue();
            n += varint(draft, b, n, draft == D18 ? type - prior : type);
            prior = type;
            if ((type & 1) == 0)
            {
                n += varint(draft, b, n, ((Number)pairs[i + 1]).longValue());
            }
            else
            {
                final byte[] v = Bytes.fromHex((String)pairs[i + 1]).array();
                n += varint(draft, b, n, v.length);
                b.putBytes(n, v);
                n += v.length;
            }
        }
        return DataPlaneValues.hex(b, 0, n);
    }

    private static int varint(final Draft draft, final UnsafeBuffer b, final int offset, final long value)
    {
        return draft == D18 ? MoqtVarint.write(b, offset, value) : QuicVarint.write(b, offset, value);
    }
}
