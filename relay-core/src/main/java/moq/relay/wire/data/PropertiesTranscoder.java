package moq.relay.wire.data;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rewrites an Object Properties block from one draft's encoding into the other's, into a buffer allocated once: a
 * draft-14 publisher's Extension Headers (Key-Value-Pairs with absolute Types and RFC 9000 varints, draft-14 §1.4.2)
 * into draft 18's and 20's Object Properties (Types delta-coded from the previous pair, leading-ones varints,
 * draft-18 §"Key-Value-Pair Structure", draft-21 §8.3), and back. Drafts 18 and 20 encode them alike and need none.
 * <p>
 * What changes: each pair's Type (absolute or delta), every varint (Type, even-type value, odd-type Length) and the
 * order of the pairs: delta-coded Types cannot decrease, so a draft-14 block is stably sorted by Type (pairs of one
 * Type keep their order). The bytes of odd-type values are copied as they are, except Immutable Properties (0xB,
 * draft-14 "Immutable Extensions"), whose value is itself a Key-Value-Pair sequence in the enclosing encoding and is
 * converted the same way (one level: a container nested inside it, malformed in every draft, is copied as bytes, as
 * is a container whose contents do not parse: the ingest checks only the outer pairs, such a container making the track
 * malformed rather than the session, as for Immutable Track Properties, {@code wire.param.Properties}).
 * <p>
 * What is left out (counted in {@link #pairsDropped()}): towards draft 18/20, Types 0x4000-0x7FFF, the Mandatory
 * Track Properties that make an object carrying one malformed there (draft-18 §"Mandatory Track Properties"; draft 14
 * has no such range); towards draft 14, a Type or even-type value above 2^62-1, which RFC 9000 varints cannot carry.
 * <p>
 * Bounds: the output is at most {@link #capacity()} bytes and the block at most {@code capacity / 2} pairs (every
 * pair takes at least two bytes); a block that does not fit, or whose outer pairs do not parse (the ingest validated
 * them, so only a bug gets here), yields {@link #FAILED}. No allocation per call. One thread at a time (an egress
 * loop's).
 */
public final class PropertiesTranscoder
{
    /** {@link #toDraft18} / {@link #toDraft14}: the block does not fit the budget, or does not parse. */
    public static final int FAILED = -1;
    /** An Immutable container's contents do not parse: it is copied as bytes. */
    private static final int UNPARSED = -2;
    /** Immutable Properties (draft 18/20) and Immutable Extensions (draft 14): the same Type, 0xB. */
    static final long IMMUTABLE = 0xB;
    private static final long MANDATORY_FIRST = 0x4000;
    private static final long MANDATORY_LAST = 0x7FFF;
    /** Longest Length prefix an Immutable container's converted value can need (65,535: 3 bytes MoQT, 4 QUIC). */
    private static final int MAX_LENGTH_PREFIX = 4;

    private final UnsafeBuffer out;
    private final int maxPairs;
    /** Per parsed pair: its absolute Type; an even Type's value, or an odd Type's value offset in the source. */
    private final long[] types;
    private final long[] values;
    private final int[] lengths;
    /** Pair indexes in output order, and the merge sort's scratch. */
    private final int[] order;
    private final int[] sortScratch;
    private DirectBuffer source;
    private long pairsDropped;

    /** @param capacity largest converted block, bytes ({@code moq.relay.egress.properties.conversion.bytes}) */
    public PropertiesTranscoder(final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("properties conversion budget " + capacity + " < 2 bytes");
        }
        out = new UnsafeBuffer(new byte[capacity]);
        maxPairs = capacity / 2;
        types = new long[maxPairs];
        values = new long[maxPairs];
        lengths = new int[maxPairs];
        order = new int[maxPairs];
        sortScratch = new int[maxPairs];
    }

    /** The converted block of the last successful call, from offset 0; valid until the next call. */
    public DirectBuffer buffer()
    {
        return out;
    }

    public int capacity()
    {
        return out.capacity();
    }

    /** Pairs left out because the target draft cannot carry them (see the class comment); monotonic. */
    public long pairsDropped()
    {
        return pairsDropped;
    }

    /** Draft-14 Extension Headers in {@code [offset, offset + length)} to draft-18/20 Object Properties. */
    public int toDraft18(final DirectBuffer src, final int offset, final int length)
    {
        return convert(src, offset, length, true);
    }

    /** Draft-18/20 Object Properties in {@code [offset, offset + length)} to draft-14 Extension Headers. */
    public int toDraft14(final DirectBuffer src, final int offset, final int length)
    {
        return convert(src, offset, length, false);
    }

    private int convert(final DirectBuffer src, final int offset, final int length, final boolean fromDraft14)
    {
        source = src;
        try
        {
            final int n = parse(offset, length, fromDraft14, 0);
            return n < 0 ? FAILED : emit(0, n, fromDraft14, true, 0);
        }
        finally
        {
            source = null;
        }
    }

    /**
     * Parses the pairs of {@code [offset, offset + length)} into slots {@code first...}, sorted by Type when they come
     * from draft 14; returns how many, or {@link #FAILED}.
     */
    private int parse(final int offset, final int length, final boolean fromDraft14, final int first)
    {
        final DirectBuffer b = source;
        final int end = offset + length;
        int p = offset;
        int n = first;
        long type = 0;
        while (p < end)
        {
            if (n == maxPairs)
            {
                return FAILED;
            }
            int size = fromDraft14 ? QuicVarint.size(b, p) : MoqtVarint.size(b, p);
            if (size > end - p)
            {
                return FAILED;
            }
            final long raw = fromDraft14 ? QuicVarint.value(b, p) : MoqtVarint.value(b, p);
            p += size;
            if (fromDraft14)
            {
                type = raw;
            }
            else
            {
                final long next = type + raw;
                if (Long.compareUnsigned(next, type) < 0)
                {
                    return FAILED;
                }
                type = next;
            }
            if (p >= end)
            {
                return FAILED;
            }
            size = fromDraft14 ? QuicVarint.size(b, p) : MoqtVarint.size(b, p);
            if (size > end - p)
            {
                return FAILED;
            }
            final long value = fromDraft14 ? QuicVarint.value(b, p) : MoqtVarint.value(b, p);
            p += size;
            types[n] = type;
            if (KeyValuePair.isBytesType(type))
            {
                if (Long.compareUnsigned(value, Math.min(KeyValuePair.MAX_VALUE_LENGTH, end - p)) > 0)
                {
                    return FAILED;
                }
                values[n] = p;
                lengths[n] = (int)value;
                p += (int)value;
            }
            else
            {
                values[n] = value;
                lengths[n] = 0;
            }
            order[n] = n;
            n++;
        }
        if (fromDraft14)
        {
            sort(first, n);
        }
        return n - first;
    }

    /**
     * Writes the pairs in slots {@code [first, first + count)}, in {@link #order}, at {@code at} in the target encoding;
     * returns the position after them, or {@link #FAILED} past the budget. {@code outer}: an Immutable container's
     * contents are converted (its inner pairs parsed into the slots after these).
     */
    private int emit(final int first, final int count, final boolean toDraft18, final boolean outer, final int at)
    {
        final int capacity = out.capacity();
        int p = at;
        long previous = 0;
        for (int k = first; k < first + count; k++)
        {
            final int i = order[k];
            final long type = types[i];
            final boolean bytes = KeyValuePair.isBytesType(type);
            if (toDraft18 ? type >= MANDATORY_FIRST && type <= MANDATORY_LAST :
                Long.compareUnsigned(type, QuicVarint.MAX_VALUE) > 0 ||
                    (!bytes && Long.compareUnsigned(values[i], QuicVarint.MAX_VALUE) > 0))
            {
                pairsDropped++;
                continue;
            }
            final long key = toDraft18 ? type - previous : type;
            previous = type;
            if (p + varintLength(key, toDraft18) > capacity)
            {
                return FAILED;
            }
            p += writeVarint(p, key, toDraft18);
            if (!bytes)
            {
                if (p + varintLength(values[i], toDraft18) > capacity)
                {
                    return FAILED;
                }
                p += writeVarint(p, values[i], toDraft18);
                continue;
            }
            final int converted = outer && type == IMMUTABLE ? emitImmutable(i, toDraft18, p, first + count) : UNPARSED;
            if (converted == FAILED)
            {
                return FAILED;
            }
            if (converted != UNPARSED)
            {
                p = converted;
                continue;
            }
            final int length = lengths[i];
            if (p + varintLength(length, toDraft18) + length > capacity)
            {
                return FAILED;
            }
            p += writeVarint(p, length, toDraft18);
            out.putBytes(p, source, (int)values[i], length);
            p += length;
        }
        return p;
    }

    /**
     * An Immutable container's Length and converted contents at {@code at}: the contents are written behind the
     * longest Length prefix, then moved up to the actual one. Its pairs take the slots from {@code freeSlot}.
     * {@link #UNPARSED} (nothing written) when its contents do not parse, which makes the track malformed in every
     * draft: the caller copies it as bytes, as the relay keeps malformed Immutable Track Properties.
     */
    private int emitImmutable(final int i, final boolean toDraft18, final int at, final int freeSlot)
    {
        final int n = parse((int)values[i], lengths[i], toDraft18, freeSlot); // draft 14 in: 18 out
        if (n < 0)
        {
            return UNPARSED;
        }
        final int contentAt = at + MAX_LENGTH_PREFIX;
        if (contentAt > out.capacity())
        {
            return FAILED;
        }
        final int end = emit(freeSlot, n, toDraft18, false, contentAt);
        if (end < 0 || end - contentAt > KeyValuePair.MAX_VALUE_LENGTH)
        {
            return FAILED;
        }
        final int length = end - contentAt;
        final int p = at + writeVarint(at, length, toDraft18);
        for (int k = 0; k < length; k++) // moving down over itself: front to back is safe
        {
            out.putByte(p + k, out.getByte(contentAt + k));
        }
        return p + length;
    }

    private static int varintLength(final long value, final boolean moqt)
    {
        return moqt ? MoqtVarint.length(value) : QuicVarint.length(value);
    }

    private int writeVarint(final int at, final long value, final boolean moqt)
    {
        return moqt ? MoqtVarint.write(out, at, value) : QuicVarint.write(out, at, value);
    }

    /** Stable bottom-up merge sort of {@code order[from, to)} by unsigned Type: O(n log n), no allocation. */
    private void sort(final int from, final int to)
    {
        if (isSorted(from, to))
        {
            return; // the usual case: publishers write their pairs in Type order
        }
        int[] a = order;
        int[] b = sortScratch;
        for (int width = 1; width < to - from; width <<= 1)
        {
            for (int lo = from; lo < to; lo += width << 1)
            {
                final int mid = Math.min(lo + width, to);
                final int hi = Math.min(lo + (width << 1), to);
                int x = lo;
                int y = mid;
                for (int k = lo; k < hi; k++)
                {
                    b[k] = x < mid && (y >= hi || Long.compareUnsigned(types[a[x]], types[a[y]]) <= 0) ? a[x++] : a[y++];
                }
            }
            final int[] t = a;
            a = b;
            b = t;
        }
        if (a != order)
        {
            System.arraycopy(a, from, order, from, to - from);
        }
    }

    private boolean isSorted(final int from, final int to)
    {
        for (int k = from + 1; k < to; k++)
        {
            if (Long.compareUnsigned(types[order[k - 1]], types[order[k]]) > 0)
            {
                return false;
            }
        }
        return true;
    }
}
