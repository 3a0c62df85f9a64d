package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.ObjectFilter;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Setup;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeTracks;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.Test;

/** How the draft-20 dialect reads Range Filters into the engine's filters, and what it refuses (draft-21 §3.3.2). */
class Draft20DialectRangeFiltersTest
{
    private static final TrackNamespace NS = TrackNamespace.of("ns");
    private static final Bytes NAME = Bytes.utf8("t");
    private final Draft20Dialect dialect = Draft20Dialect.withMaxFilterRanges(3);

    private static Parameter.Range range(final ParameterType type, final int setId, final long propertyType,
        final long start, final long end)
    {
        return new Parameter.Range(RangeFilter.of(type, setId, propertyType, new RangeFilter.Range(start, end)));
    }

    private RequestMessage read(final moq.relay.wire.ControlMessage m) throws Exception
    {
        return dialect.read(m, PeerQuirks.NONE);
    }

    @Test
    void setupAnnouncesMaxFilterRangesUnlessZero()
    {
        assertThat(((Setup)dialect.setup("relay", 0)).maxFilterRanges()).isEqualTo(3);
        assertThat(((Setup)Draft20Dialect.withMaxFilterRanges(0).setup("relay", 0)).options())
            .extracting(KeyValuePair::type).doesNotContain(moq.relay.wire.d20.SetupOption.MAX_FILTER_RANGES);
        assertThat(((Setup)Draft20Dialect.INSTANCE.setup("relay", 0)).maxFilterRanges()).isEqualTo(16);
    }

    @Test
    void aSubscribesRangeFiltersBecomeItsObjectFilter() throws Exception
    {
        final RequestMessage r = read(new Subscribe(2, NS, NAME, MessageParameters.of(
            range(ParameterType.OBJECTID_FILTER, 0, 0, 0, 0),
            range(ParameterType.OBJECT_PROPERTY_FILTER, 1, 0x3C, 5, -1))));
        assertThat(r).isInstanceOfSatisfying(RequestMessage.Subscribe.class, s -> assertThat(s.options().objectFilter()
            .terms()).containsExactly(
                new ObjectFilter.Term(0, ObjectFilter.Field.OBJECT_ID, 0, new long[] {0, 0}),
                new ObjectFilter.Term(1, ObjectFilter.Field.OBJECT_PROPERTY, 0x3C, new long[] {5, -1})));
        assertThat(read(new Subscribe(4, NS, NAME, MessageParameters.EMPTY))).isInstanceOfSatisfying(
            RequestMessage.Subscribe.class, s -> assertThat(s.options().objectFilter()).isNull());
    }

    @Test
    void rangesBeyondTheLimitAreInvalidFilter() throws Exception
    {
        final RangeFilter four = RangeFilter.of(ParameterType.SUBGROUP_FILTER, 0, 0, new RangeFilter.Range(0, 0),
            new RangeFilter.Range(2, 2), new RangeFilter.Range(4, 4), new RangeFilter.Range(6, 6));
        assertThat(read(new Subscribe(2, NS, NAME, MessageParameters.of(new Parameter.Range(four)))))
            .isInstanceOfSatisfying(RequestMessage.Refused.class,
                e -> assertThat(e.code()).isEqualTo(RequestErrorCode.INVALID_FILTER));
    }

    /** §3.3.2: Range Filters are "parameters in SUBSCRIBE, FETCH, or SUBSCRIBE_TRACKS"; §3.4: a fill inherits them. */
    @Test
    void aFetchsRangeFiltersBecomeItsObjectFilterAndAFillInheritsTheSubscriptionsOverriddenByItsOwn()
        throws Exception
    {
        assertThat(read(new Fetch(4, NS, NAME, MessageParameters.of(range(ParameterType.OBJECTID_FILTER, 0, 0, 0,
            0))))).isInstanceOfSatisfying(RequestMessage.Fetch.class, f -> assertThat(f.fetch().objectFilter().terms())
                .containsExactly(new ObjectFilter.Term(0, ObjectFilter.Field.OBJECT_ID, 0, new long[] {0, 0})));
        assertThat(read(new Fetch(6, NS, NAME, MessageParameters.EMPTY))).isInstanceOfSatisfying(
            RequestMessage.Fetch.class, f -> assertThat(f.fetch().objectFilter()).isNull());

        final List<ObjectFilter.Term> subscription = List.of( // in parameter order: by type
            new ObjectFilter.Term(0, ObjectFilter.Field.SUBGROUP_ID, 0, new long[] {1, 1}),
            new ObjectFilter.Term(0, ObjectFilter.Field.OBJECT_ID, 0, new long[] {0, 0}));
        final Parameter.LocationFilterParameter fromZero = new Parameter.LocationFilterParameter(
            LocationFilter.absoluteStart(new Location(0, 0)));
        assertThat(read(new Subscribe(8, NS, NAME, MessageParameters.of(range(ParameterType.OBJECTID_FILTER, 0, 0, 0,
            0), range(ParameterType.SUBGROUP_FILTER, 0, 0, 1, 1), new Parameter.FillParameters(
                MessageParameters.of(fromZero)))))).isInstanceOfSatisfying(RequestMessage.Subscribe.class,
                    s -> assertThat(s.fill().terms(s.options().objectFilter().terms())).isEqualTo(subscription));
        // The fill's OBJECTID_FILTER replaces the subscription's; its SUBGROUP_FILTER stays.
        assertThat(read(new Subscribe(10, NS, NAME, MessageParameters.of(range(ParameterType.OBJECTID_FILTER, 0, 0, 0,
            0), range(ParameterType.SUBGROUP_FILTER, 0, 0, 1, 1), new Parameter.FillParameters(
                MessageParameters.of(fromZero, range(ParameterType.OBJECTID_FILTER, 0, 0, 2, 5)))))))
            .isInstanceOfSatisfying(RequestMessage.Subscribe.class, s -> assertThat(s.fill().terms(
                s.options().objectFilter().terms())).containsExactly(subscription.get(0),
                    new ObjectFilter.Term(0, ObjectFilter.Field.OBJECT_ID, 0, new long[] {2, 5})));
        // Two Ranges of the subscription and two more of the fill's own: 4, past the limit of 3.
        final RangeFilter two = RangeFilter.of(ParameterType.PRIORITY_FILTER, 0, 0, new RangeFilter.Range(0, 0),
            new RangeFilter.Range(2, 2));
        assertThat(read(new Subscribe(12, NS, NAME, MessageParameters.of(range(ParameterType.OBJECTID_FILTER, 0, 0, 0,
            0), range(ParameterType.SUBGROUP_FILTER, 0, 0, 1, 1), new Parameter.FillParameters(
                MessageParameters.of(fromZero, new Parameter.Range(two))))))).isInstanceOfSatisfying(
                    RequestMessage.Refused.class, e -> assertThat(e.code()).isEqualTo(RequestErrorCode.INVALID_FILTER));
    }

    @Test
    void subscribeTracksFiltersTracksByPropertyAndCarriesTheObjectFilter() throws Exception
    {
        final RequestMessage r = read(new SubscribeTracks(2, NS, MessageParameters.of(
            range(ParameterType.PRIORITY_FILTER, 0, 0, 0, 63),
            range(ParameterType.TRACK_PROPERTY_FILTER, 0, 0x30, 1, 1))));
        assertThat(r).isInstanceOfSatisfying(RequestMessage.SubscribeTracks.class, t ->
        {
            assertThat(t.objectFilter().terms()).containsExactly(
                new ObjectFilter.Term(0, ObjectFilter.Field.PUBLISHER_PRIORITY, 0, new long[] {0, 63}));
            assertThat(t.offers(List.of(KeyValuePair.ofVarint(0x30, 1)))).isTrue();
            assertThat(t.offers(List.of(KeyValuePair.ofVarint(0x30, 0)))).isFalse();
            assertThat(t.offers(List.of())).isFalse();
            // Inside Immutable Properties (0xB): {0x30: 1}.
            assertThat(t.offers(List.of(KeyValuePair.ofBytes(0xB, Bytes.fromHex("3001"))))).isTrue();
        });
        assertThat(read(new SubscribeTracks(4, NS, MessageParameters.EMPTY))).isInstanceOfSatisfying(
            RequestMessage.SubscribeTracks.class, t -> assertThat(t.offers(List.of())).isTrue());
    }

    @Test
    void anUpdateNamesTheFilterTypesItReplaces() throws Exception
    {
        final RequestMessage r = read(new RequestUpdate(8, MessageParameters.of(
            new Parameter.Range(RangeFilter.cleared(ParameterType.SUBGROUP_FILTER)),
            range(ParameterType.OBJECTID_FILTER, 2, 0, 1, 1))));
        assertThat(r).isInstanceOfSatisfying(RequestMessage.Update.class, u ->
        {
            assertThat(u.filters().fields()).containsExactly(ObjectFilter.Field.SUBGROUP_ID,
                ObjectFilter.Field.OBJECT_ID);
            final List<ObjectFilter.Term> before = List.of(
                new ObjectFilter.Term(0, ObjectFilter.Field.SUBGROUP_ID, 0, new long[] {0, 0}),
                new ObjectFilter.Term(0, ObjectFilter.Field.PUBLISHER_PRIORITY, 0, new long[] {0, 9}));
            assertThat(u.filters().applyTo(before)).containsExactly(
                new ObjectFilter.Term(0, ObjectFilter.Field.PUBLISHER_PRIORITY, 0, new long[] {0, 9}),
                new ObjectFilter.Term(2, ObjectFilter.Field.OBJECT_ID, 0, new long[] {1, 1}));
            assertThat(u.filters().problemWith(u.filters().applyTo(before))).isNull();
        });
        assertThat(read(new RequestUpdate(10, MessageParameters.of(new Parameter.Forward(true)))))
            .isInstanceOfSatisfying(RequestMessage.Update.class, u -> assertThat(u.filters()).isNull());
    }
}
