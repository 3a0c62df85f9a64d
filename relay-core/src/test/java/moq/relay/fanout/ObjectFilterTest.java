package moq.relay.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.ObjectFilter.Field;
import moq.relay.fanout.ObjectFilter.Term;
import moq.relay.store.TrackLog;

/** Range Filter evaluation on track log records (draft-21 §3.3.2, §9.20.11-§9.20.14). */
class ObjectFilterTest
{
    private final UnsafeBuffer b = new UnsafeBuffer(new byte[256]);

    /** An object record at offset 0 with {@code properties} (draft-18+ Key-Value-Pairs) after the header. */
    private UnsafeBuffer record(final boolean datagram, final long subgroup, final long object, final int priority,
        final int... properties)
    {
        b.setMemory(0, b.capacity(), (byte)0);
        b.putInt(TrackLog.TYPE_OFFSET, TrackLog.TYPE_OBJECT | (datagram ? TrackLog.FLAG_DATAGRAM : 0));
        b.putLong(TrackLog.GROUP_OFFSET, 7);
        b.putLong(TrackLog.SUBGROUP_OFFSET, datagram ? object : subgroup);
        b.putLong(TrackLog.OBJECT_OFFSET, object);
        b.putInt(TrackLog.PRIORITY_OFFSET, priority);
        b.putInt(TrackLog.PROPERTIES_LENGTH_OFFSET, properties.length);
        for (int i = 0; i < properties.length; i++)
        {
            b.putByte(TrackLog.HEADER_LENGTH + i, (byte)properties[i]);
        }
        return b;
    }

    private static ObjectFilter filter(final Term... terms)
    {
        return ObjectFilter.of(List.of(terms));
    }

    @Test
    void noTermsIsNoFilter()
    {
        assertThat(ObjectFilter.of(List.of())).isNull();
    }

    @Test
    void rangesOfOneTermAreOred()
    {
        // Ranges 3-5 and 10-15 (the §8.6 example), the last one open in a second filter.
        final ObjectFilter f = filter(new Term(0, Field.OBJECT_ID, 0, new long[] {3, 5, 10, 15}));
        assertThat(f.rangeCount()).isEqualTo(2);
        assertThat(f.matches(record(false, 0, 2, 0), 0)).isFalse();
        assertThat(f.matches(record(false, 0, 3, 0), 0)).isTrue();
        assertThat(f.matches(record(false, 0, 5, 0), 0)).isTrue();
        assertThat(f.matches(record(false, 0, 6, 0), 0)).isFalse();
        assertThat(f.matches(record(false, 0, 15, 0), 0)).isTrue();
        assertThat(f.matches(record(false, 0, 16, 0), 0)).isFalse();
        final ObjectFilter open = filter(new Term(0, Field.OBJECT_ID, 0, new long[] {10, -1}));
        assertThat(open.matches(record(false, 0, -2, 0), 0)).as("unsigned, up to 2^64-1").isTrue();
        assertThat(open.matches(record(false, 0, 9, 0), 0)).isFalse();
    }

    @Test
    void sameSetIdIsAndDistinctSetIdsAreOr()
    {
        final ObjectFilter f = filter(
            new Term(0, Field.SUBGROUP_ID, 0, new long[] {0, 0}),
            new Term(1, Field.PUBLISHER_PRIORITY, 0, new long[] {0, 9}),
            new Term(0, Field.PUBLISHER_PRIORITY, 0, new long[] {100, 200}));
        assertThat(f.matches(record(false, 0, 0, 150), 0)).as("set 0: subgroup 0 and priority 100-200").isTrue();
        assertThat(f.matches(record(false, 0, 0, 50), 0)).isFalse();
        assertThat(f.matches(record(false, 3, 0, 150), 0)).isFalse();
        assertThat(f.matches(record(false, 3, 0, 5), 0)).as("set 1: priority 0-9").isTrue();
    }

    @Test
    void aDatagramHasNoSubgroupId()
    {
        final ObjectFilter f = filter(new Term(0, Field.SUBGROUP_ID, 0, new long[] {0, 100}));
        assertThat(f.matches(record(true, 0, 5, 0), 0)).isFalse();
        assertThat(f.matches(record(false, 5, 5, 0), 0)).isTrue();
        assertThat(filter(new Term(0, Field.OBJECT_ID, 0, new long[] {5, 5})).matches(record(true, 0, 5, 0), 0))
            .isTrue();
    }

    @Test
    void objectPropertiesAreReadDeltaCodedAndInsideImmutableProperties()
    {
        final ObjectFilter f = filter(new Term(0, Field.OBJECT_PROPERTY, 0x78, new long[] {5, 6}));
        // 0x3C = 60 (an even property), then 0x78 as delta 0x3C: value 6.
        assertThat(f.matches(record(false, 0, 0, 0, 0x3C, 1, 0x3C, 6), 0)).isTrue();
        assertThat(f.matches(record(false, 0, 0, 0, 0x3C, 1, 0x3C, 7), 0)).isFalse();
        assertThat(f.matches(record(false, 0, 0, 0), 0)).as("no properties: no value in range").isFalse();
        // An odd (bytes) property before it is skipped by its length: 0x0D, length 2, then 0x78 as delta 0x6B.
        assertThat(f.matches(record(false, 0, 0, 0, 0x0D, 2, 0x78, 0x05, 0x6B, 5), 0)).isTrue();
        // Immutable Properties (0xB): length 2, {0x78: 5} inside.
        assertThat(f.matches(record(false, 0, 0, 0, 0x0B, 2, 0x78, 5), 0)).isTrue();
        assertThat(f.matches(record(false, 0, 0, 0, 0x0B, 2, 0x78, 9), 0)).isFalse();
        // A block cut short matches nothing.
        assertThat(f.matches(record(false, 0, 0, 0, 0x0B, 9, 0x78, 5), 0)).isFalse();
    }

    @Test
    void aFilterWithoutRangesPassesNothing()
    {
        assertThat(filter(new Term(0, Field.OBJECT_ID, 0, new long[0])).matches(record(false, 0, 0, 0), 0)).isFalse();
    }

    @Test
    void termsAreChecked()
    {
        assertThatThrownBy(() -> new Term(0, Field.OBJECT_PROPERTY, 0x79, new long[] {0, 1}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Term(0, Field.OBJECT_ID, 2, new long[] {0, 1}))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Term(256, Field.OBJECT_ID, 0, new long[] {0, 1}))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUpdateReplacesTheFieldsItNames()
    {
        final Term sub = new Term(0, Field.SUBGROUP_ID, 0, new long[] {0, 0});
        final Term obj = new Term(0, Field.OBJECT_ID, 0, new long[] {1, 1});
        final Term obj2 = new Term(3, Field.OBJECT_ID, 0, new long[] {2, 2});
        assertThat(ObjectFilter.replaceFields(List.of(sub, obj), List.of(Field.OBJECT_ID), List.of(obj2)))
            .containsExactly(sub, obj2);
        assertThat(ObjectFilter.replaceFields(List.of(sub, obj), List.of(Field.SUBGROUP_ID), List.of()))
            .containsExactly(obj);
    }
}
