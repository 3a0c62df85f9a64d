package moq.relay.wire.d20;

import moq.relay.wire.param.ParameterType;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Draft-20 decoder vectors written by hand from the text (draft-ietf-moq-transport-21, draft-20's wire format; each
 * test names its section), field by field, so that a mistake made the same way in encoder and decoder still fails.
 * Framing (§9): {@code Type (vi64), Length (16), Message Body}.
 */
class Draft20DecoderVectorsTest
{
    private static final TrackNamespace LIVE = TrackNamespace.of("live");
    private static final Bytes HD = Bytes.utf8("hd");
    /** Request-stream prefix shared by the SUBSCRIBE / FETCH / TRACK_STATUS vectors: namespace ("live"), name "hd". */
    private static final String LIVE_HD = "01 04 6c697665  02 6864";

    private static ControlMessage decode(final String frameHex) throws WireException
    {
        return Wire.decodeHex(frameHex.replaceAll("\\s+", ""));
    }

    /** Decodes, checks the value, and checks that encoding the value gives the same bytes. */
    private static <T extends ControlMessage> T vector(final String frameHex, final T expected) throws WireException
    {
        final ControlMessage decoded = decode(frameHex);
        assertThat(decoded).isEqualTo(expected);
        assertThat(Wire.hex(expected)).isEqualTo(frameHex.replaceAll("\\s+", ""));
        return expected;
    }

    private static SessionError errorOf(final String frameHex)
    {
        try
        {
            decode(frameHex);
        }
        catch (final WireException e)
        {
            return e.error();
        }
        throw new AssertionError("decoded: " + frameHex);
    }

    @Test
    void setupCarriesMaxFilterRangesAndMaxRequestUpdates_9_1_6_and_9_1_7() throws WireException
    {
        final Setup setup = vector("af00 0004  06 10  02 04", Setup.of(
            moq.relay.wire.KeyValuePair.ofVarint(SetupOption.MAX_FILTER_RANGES, 16),
            moq.relay.wire.KeyValuePair.ofVarint(SetupOption.MAX_REQUEST_UPDATES, 4)));
        assertThat(setup.maxFilterRanges()).isEqualTo(16);
        assertThat(setup.maxRequestUpdates()).isEqualTo(4);
        // Absent, both default to 0: no Range Filters allowed, no limit on REQUEST_UPDATEs.
        assertThat(Setup.of().maxFilterRanges()).isZero();
        assertThat(Setup.of().maxRequestUpdates()).isZero();
    }

    @Test
    void setupChecksByRole_9_1() throws WireException
    {
        // MAX_FILTER_RANGES twice: "Senders MUST NOT repeat the same Option Type" (known options; unknown may repeat).
        assertThat(errorOf("af00 0004  06 01  00 02")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // A server receiving a DELETE token (alias type 0, alias 1) in SETUP: PROTOCOL_VIOLATION (§9.1.4).
        final Setup delete = (Setup)decode("af00 0004  03 02 00 01");
        assertThatThrownBy(delete::validateReceivedByServer).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        // A client receiving PATH from a server: INVALID_PATH (§9.1.2).
        final Setup path = (Setup)decode("af00 0003  01 01 2f");
        assertThatThrownBy(path::validateReceivedByClient).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.INVALID_PATH));
        // A server receiving a GOAWAY with a URI: PROTOCOL_VIOLATION (§9.2).
        final Goaway goaway = (Goaway)decode("10 0003  01 78 00");
        assertThatThrownBy(goaway::validateReceivedByServer).isInstanceOf(WireException.class);
    }

    @Test
    void goawayHasNoRequestId_9_2() throws WireException
    {
        // New Session URI Length 0, Timeout 1000 (2-byte varint 0x83e8).
        vector("10 0003  00  83e8", new Goaway(Bytes.EMPTY, 1000));
        // Draft-18's trailing Request ID is gone: a byte after Timeout does not match the length.
        assertThat(errorOf("10 0004  00  83e8  0e")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void subscribeJoiningTheCurrentGroup_3_5_9_20_10_9_20_16() throws WireException
    {
        // "Location Filter that starts at the Next Object and a FILL_PARAMETERS parameter whose Location filter has
        // StartGroup=1": LOCATION_FILTER (0x21) of two zero fields; FILL_PARAMETERS (0x23, delta 2), 4 bytes: one
        // parameter, LOCATION_FILTER of one field, 1.
        final Subscribe subscribe = vector("03 0015  00 " + LIVE_HD + "  02  21 02 00 00  02 04 01 21 01 01",
            new Subscribe(0, LIVE, HD, MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
                new Parameter.FillParameters(MessageParameters.of(
                    new Parameter.LocationFilterParameter(LocationFilter.relativeStartGroup(1)))))));
        assertThat(subscribe.filter().kind()).isEqualTo(LocationFilter.Kind.NEXT_OBJECT);
        assertThat(subscribe.filter().start(new Location(7, 3))).isEqualTo(new Location(7, 4));
        final LocationFilter fill = subscribe.fill().orElseThrow().locationFilter().orElseThrow();
        // {Largest Object.Group + 1 - StartGroup, 0}: the current group from its start.
        assertThat(fill.start(new Location(7, 3))).isEqualTo(new Location(7, 0));
    }

    @Test
    void relativeStartGroupClampsAtZero_9_20_10()
    {
        assertThat(LocationFilter.relativeStartGroup(0).start(new Location(7, 3))).isEqualTo(new Location(8, 0));
        assertThat(LocationFilter.relativeStartGroup(2).start(new Location(7, 3))).isEqualTo(new Location(6, 0));
        assertThat(LocationFilter.relativeStartGroup(100).start(new Location(7, 3))).isEqualTo(new Location(0, 0));
        // Nothing published yet: the Next Group is 0.
        assertThat(LocationFilter.relativeStartGroup(1).start(null)).isEqualTo(new Location(0, 0));
        // "if greater than 2^64 - 1, it is set to 2^64 - 1".
        assertThat(LocationFilter.relativeStartGroup(0).start(new Location(-1L, 0))).isEqualTo(new Location(-1L, 0));
        // Two fields that are not both 0 are absolute, as is {0, 0} with an end.
        assertThat(LocationFilter.absoluteStart(new Location(0, 1)).kind()).isEqualTo(LocationFilter.Kind.ABSOLUTE);
        assertThat(LocationFilter.absoluteRange(new Location(0, 0), 0).kind()).isEqualTo(LocationFilter.Kind.ABSOLUTE);
    }

    @Test
    void fetchCarriesItsRangeInLocationFilter_9_11_9_20_10() throws WireException
    {
        // No Fetch Type, no Start/End fields: LOCATION_FILTER of four fields, start {1, 0}, EndGroupDelta 2 (end group
        // 3), EndObject 5.
        final Fetch fetch = vector("16 0011  02 " + LIVE_HD + "  01  21 04 01 00 02 05",
            new Fetch(2, LIVE, HD, MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.absoluteRange(new Location(1, 0), 2, 5)))));
        assertThat(fetch.range().hasEnd()).isTrue();
        assertThat(fetch.range().endGroup()).isEqualTo(3);
        assertThat(fetch.range().hasEndObject()).isTrue();
        assertThat(fetch.range().endObject()).isEqualTo(5);
        // Without the parameter: the whole track up to Largest Object.
        assertThat(new Fetch(2, LIVE, HD, MessageParameters.EMPTY).range()).isEqualTo(LocationFilter.NONE);
        assertThat(fetch.groupOrder()).isEqualTo(GroupOrder.ASCENDING);
    }

    @Test
    void locationFilterLayoutErrors_9_20_10()
    {
        // Five fields: the value does not match the serialization (KEY_VALUE_FORMATTING_ERROR, §8.3).
        assertThat(errorOf("03 0012  00 " + LIVE_HD + "  01  21 05 01 01 01 01 01"))
            .isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
        // StartGroup + EndGroupDelta past 2^64-1: "MUST close the session with a PROTOCOL_VIOLATION".
        assertThat(errorOf("03 0018  00 " + LIVE_HD + "  01  21 0b ffffffffffffffffff 00 01"))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // A truncated field inside the length.
        assertThat(errorOf("03 000f  00 " + LIVE_HD + "  01  21 02 00 80"))
            .isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
    }

    @Test
    void rangeFilterExampleOfTheText_8_6() throws WireException
    {
        // "ranges 3-5 and 10-15 encode as: Start=3, End=2, Start=5, End=5", after SetID 0.
        final Subscribe subscribe = vector("03 0012  00 " + LIVE_HD + "  01  25 05 00 03 02 05 05",
            new Subscribe(0, LIVE, HD, MessageParameters.of(new Parameter.Range(RangeFilter.of(
                ParameterType.SUBGROUP_FILTER, 0, 0, new RangeFilter.Range(3, 5), new RangeFilter.Range(10, 15))))));
        final RangeFilter filter = subscribe.rangeFilters().get(0);
        assertThat(filter.ranges()).containsExactly(new RangeFilter.Range(3, 5), new RangeFilter.Range(10, 15));
        assertThat(filter.rangeCount()).isEqualTo(2);
        // §3.3.2 / §9.1.6: Range Filters need a non-zero MAX_FILTER_RANGES, and no more Ranges than it.
        assertThat(subscribe.parameters().rangeFilterProblem(0)).contains("MAX_FILTER_RANGES is 0");
        assertThat(subscribe.parameters().rangeFilterProblem(1)).contains("exceed MAX_FILTER_RANGES");
        assertThat(subscribe.parameters().rangeFilterProblem(2)).isNull();
    }

    @Test
    void rangeFilterOpenEndedLastRangeAndClearing_8_6() throws WireException
    {
        // OBJECTID_FILTER (0x26), SetID 1, one Range with no End: Object IDs 4 and up.
        final Subscribe subscribe = vector("03 000f  00 " + LIVE_HD + "  01  26 02 01 04",
            new Subscribe(0, LIVE, HD, MessageParameters.of(new Parameter.Range(RangeFilter.of(
                ParameterType.OBJECTID_FILTER, 1, 0, new RangeFilter.Range(4, -1L))))));
        assertThat(subscribe.rangeFilters().get(0).ranges()).containsExactly(new RangeFilter.Range(4, -1L));
        // "When Length is 0, there is no filter": REQUEST_UPDATE removing the Subgroup Filter.
        vector("02 0004  08  01  25 00",
            new RequestUpdate(8, MessageParameters.of(new Parameter.Range(RangeFilter.cleared(ParameterType.SUBGROUP_FILTER)))));
        // Object Property Filter: SetID, then Property Type (0x3C), then the Ranges.
        final RangeFilter property = ((Subscribe)decode("03 0011  00 " + LIVE_HD + "  01  28 04 02 3c 00 00"))
            .rangeFilters().get(0);
        assertThat(property.propertyType()).isEqualTo(0x3C);
        assertThat(property.setId()).isEqualTo(2);
        assertThat(property.ranges()).containsExactly(new RangeFilter.Range(0, 0));
    }

    @Test
    void rangeFilterRequestErrors_3_3_2_8_6_9_20_13_9_20_14() throws WireException
    {
        // Each decodes (the draft answers REQUEST_ERROR INVALID_FILTER, not a session error) and is reported.
        // PRIORITY_FILTER value 256: "If a decoded value exceeds 255 ... INVALID_FILTER".
        final Subscribe priority = (Subscribe)decode("03 0010  00 " + LIVE_HD + "  01  27 03 00 8100");
        assertThat(priority.parameters().rangeFilterProblem(16)).contains("above 255");
        // A Start delta of 2^64-1 then an End delta of 1: "If adding the delta would exceed 2^64-1 ... INVALID_FILTER".
        final Subscribe overflow = (Subscribe)decode("03 0018  00 " + LIVE_HD + "  01  26 0b 00 ffffffffffffffffff 01");
        assertThat(overflow.parameters().rangeFilterProblem(16)).contains("past 2^64-1");
        // An odd Property Type: "which MUST be even ... otherwise ... INVALID_FILTER".
        final Subscribe odd = (Subscribe)decode("03 000f  00 " + LIVE_HD + "  01  28 02 00 3d");
        assertThat(odd.parameters().rangeFilterProblem(16)).contains("odd Property Type");
        // "If the same combination of Parameter Type, SetID, and Property Type repeat ... INVALID_FILTER".
        final RangeFilter a = RangeFilter.of(ParameterType.SUBGROUP_FILTER, 0, 0, new RangeFilter.Range(1, 1));
        final RangeFilter b = RangeFilter.of(ParameterType.SUBGROUP_FILTER, 1, 0, new RangeFilter.Range(1, 1));
        assertThat(MessageParameters.of(new Parameter.Range(a), new Parameter.Range(a)).rangeFilterProblem(16))
            .contains("repeated");
        assertThat(MessageParameters.of(new Parameter.Range(a), new Parameter.Range(b)).rangeFilterProblem(16)).isNull();
        // The same inside FILL_PARAMETERS, a scope of its own.
        assertThat(MessageParameters.of(new Parameter.FillParameters(MessageParameters.of(
            new Parameter.Range(a), new Parameter.Range(a)))).rangeFilterProblem(16)).contains("repeated");
    }

    @Test
    void fillParametersAdmitOnlyTable6_9_20_16()
    {
        // FORWARD (0x10) inside FILL_PARAMETERS: "MUST close the session with PROTOCOL_VIOLATION".
        assertThat(errorOf("03 0010  00 " + LIVE_HD + "  01  23 03 01 10 01"))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // The block is "encoded as if they were Parameters for a separate message": bytes after its parameters, or a
        // parameter cut short, are that message's length mismatch (§9), a PROTOCOL_VIOLATION.
        assertThat(errorOf("03 0011  00 " + LIVE_HD + "  01  23 04 01 0a 00 00"))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf("03 000f  00 " + LIVE_HD + "  01  23 02 01 0a"))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // An empty value has not even the Number of Parameters.
        assertThat(errorOf("03 000d  00 " + LIVE_HD + "  01  23 00"))
            .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // FILL_PARAMETERS on a FETCH: only SUBSCRIBE and REQUEST_UPDATE (and SUBSCRIBE_TRACKS, §9.18.1) carry it.
        assertThat(errorOf("16 000e  02 " + LIVE_HD + "  01  23 01 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void publishStateNotify_9_10() throws WireException
    {
        // Type 0x22: LARGEST_OBJECT (0x09) {5, 2}, FORWARD (0x10, delta 7) 0.
        final PublishStateNotify notify = vector("22 0006  02  09 05 02  07 00", new PublishStateNotify(
            MessageParameters.of(new Parameter.LargestObject(new Location(5, 2)), new Parameter.Forward(false))));
        assertThat(notify.forward()).contains(false);
        assertThat(notify.filter()).isEmpty();
        // SUBSCRIBER_PRIORITY's definition does not name PUBLISH_STATE_NOTIFY.
        assertThat(errorOf("22 0003  01  20 05")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void publishSkippedIsPublishBlockedRenamed_9_19() throws WireException
    {
        vector("0f 0005  01 01 70  01 74", new PublishSkipped(TrackNamespace.of("p"), Bytes.utf8("t")));
    }

    @Test
    void publishOkIsReservedAndCarriesNoSubscriptionParameters_9_3() throws WireException
    {
        // 0x1E: "RESERVED (PUBLISH_OK in <= 17)", an unknown type (draft-18 still decoded it).
        assertThat(errorOf("1e 0000")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // GROUP_ORDER moved from PUBLISH_OK to SUBSCRIBE_TRACKS (#1777): no REQUEST_OK may carry it.
        assertThat(errorOf("07 0003  01  22 01")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        final SubscribeTracks tracks = vector("51 0005  06  00  01  22 02",
            new SubscribeTracks(6, TrackNamespace.EMPTY, MessageParameters.of(new Parameter.Order(GroupOrder.DESCENDING))));
        assertThat(tracks.groupOrder()).contains(GroupOrder.DESCENDING);
        // PUBLISH_OK: EXPIRES only (§9.20.17); LARGEST_OBJECT decodes as a REQUEST_OK but not as a PUBLISH_OK.
        final RequestOk ok = vector("07 0004  01  09 03 04", new RequestOk(MessageParameters.of(
            new Parameter.LargestObject(new Location(3, 4)))));
        assertThatThrownBy(() -> ok.validateAs(ParameterContext.PUBLISH_OK))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        // Track Properties only in TRACK_STATUS_OK (§9.3).
        final RequestOk withProperties = new RequestOk(MessageParameters.EMPTY, Examples.PROPS);
        assertThatThrownBy(() -> withProperties.validateAs(ParameterContext.NAMESPACE_REQUEST_OK))
            .isInstanceOf(WireException.class);
    }

    @Test
    void requestErrorInvalidFilter_9_4_2_12_3() throws WireException
    {
        vector("05 0003  36 00 00", RequestError.of(RequestErrorCode.INVALID_FILTER, 0, Bytes.EMPTY));
        assertThat(RequestErrorCode.CONFLICTING_FILTERS).isEqualTo(0x35);
    }

    @Test
    void publishDoneStreamCountUpTo2To64Minus1_9_9() throws WireException
    {
        // Stream Count 2^64-1 is the 9-byte varint 0xff ff..ff (§8.1, Table 4).
        vector("0b 000b  02  ffffffffffffffffff  00",
            new PublishDone(PublishDoneCode.TRACK_ENDED, PublishDoneCode.STREAM_COUNT_UNKNOWN, Bytes.EMPTY));
    }

    @Test
    void includeProperties_9_20_22() throws WireException
    {
        final TrackStatus status = vector("0d 000d  04 " + LIVE_HD + "  01  35 00",
            new TrackStatus(4, LIVE, HD, MessageParameters.of(new Parameter.IncludeProperties(false))));
        assertThat(status.includeProperties()).isFalse();
        assertThat(new TrackStatus(4, LIVE, HD, MessageParameters.EMPTY).includeProperties()).isTrue();
        // "The allowed values are 0 ... or 1": 2 is a PROTOCOL_VIOLATION.
        assertThat(errorOf("0d 000d  04 " + LIVE_HD + "  01  35 02")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void requestUpdateForSubscribeTracksMayCarryForward_9_20_19() throws WireException
    {
        final RequestUpdate update = vector("02 0004  0a  01  10 00",
            new RequestUpdate(10, MessageParameters.of(new Parameter.Forward(false))));
        update.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIBE_TRACKS);
        assertThatThrownBy(() -> update.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIBE_NAMESPACE))
            .isInstanceOf(WireException.class);
        // FILL_PARAMETERS is for subscriptions, not for a FETCH's REQUEST_UPDATE.
        final RequestUpdate fill = new RequestUpdate(12, MessageParameters.of(
            new Parameter.FillParameters(MessageParameters.EMPTY)));
        assertThatThrownBy(() -> fill.validateAs(ParameterContext.REQUEST_UPDATE_OF_FETCH))
            .isInstanceOf(WireException.class);
    }

    @Test
    void fetchOkKeepsItsLayout_9_12() throws WireException
    {
        vector("18 0004  01  05 02  00", new FetchOk(true, new Location(5, 2), Properties.EMPTY));
        assertThat(errorOf("18 0004  02  05 02  00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void everyTypeOfTable5Decodes()
    {
        assertThat(List.of(MessageType.SETUP, MessageType.GOAWAY, MessageType.SUBSCRIBE, MessageType.SUBSCRIBE_OK,
            MessageType.PUBLISH_STATE_NOTIFY, MessageType.PUBLISH, MessageType.PUBLISH_DONE, MessageType.FETCH,
            MessageType.FETCH_OK, MessageType.TRACK_STATUS, MessageType.PUBLISH_NAMESPACE,
            MessageType.SUBSCRIBE_NAMESPACE, MessageType.SUBSCRIBE_TRACKS, MessageType.NAMESPACE,
            MessageType.NAMESPACE_DONE, MessageType.PUBLISH_SKIPPED, MessageType.REQUEST_UPDATE,
            MessageType.REQUEST_OK, MessageType.REQUEST_ERROR))
            .containsExactlyInAnyOrderElementsOf(Examples.all().values().stream().map(ControlMessage::type).distinct()
                .toList());
    }
}
