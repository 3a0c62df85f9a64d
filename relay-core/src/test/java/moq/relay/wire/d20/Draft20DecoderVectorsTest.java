package moq.relay.wire.d20;

import moq.relay.wire.param.ParameterType;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Redirect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Draft-20 decoder vectors written by hand from the text (draft-ietf-moq-transport-21, draft-20's wire format; each
 * test names its section), field by field, so that a mistake made the same way in encoder and decoder still fails.
 * Framing (§9): {@code Type (vi64), Length (16), Message Body}. Every message of Table 5 has a vector: SETUP (§9.1),
 * GOAWAY (§9.2), REQUEST_OK (§9.3), REQUEST_ERROR (§9.4), REQUEST_UPDATE (§9.5), SUBSCRIBE (§9.6), SUBSCRIBE_OK
 * (§9.7), PUBLISH (§9.8), PUBLISH_DONE (§9.9), PUBLISH_STATE_NOTIFY (§9.10), FETCH (§9.11), FETCH_OK (§9.12),
 * TRACK_STATUS (§9.13), PUBLISH_NAMESPACE (§9.14), SUBSCRIBE_NAMESPACE (§9.15), NAMESPACE (§9.16), NAMESPACE_DONE
 * (§9.17), SUBSCRIBE_TRACKS (§9.18), PUBLISH_SKIPPED (§9.19); and every Message Parameter of §9.20. The data
 * plane's vectors are {@code moq.relay.wire.data.Draft20DataPlaneVectorsTest}; round trips and splits of random
 * messages are {@link Draft20PropertyTest}'s.
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
    void subscribeOkWithParametersAndTrackProperties_9_7_8_3() throws WireException
    {
        // Track Alias 5; EXPIRES (0x08) 3000 (2-byte varint 0x8bb8); LARGEST_OBJECT (0x09, delta 1) {7, 2}; Track
        // Properties to the end: DEFAULT_PUBLISHER_PRIORITY (0x0E, even: a varint) 64, then the odd application type
        // 0x3801 as a delta from 0x0E (0x37f3, 2-byte 0xb7f3), its Length 3 and the bytes.
        final SubscribeOk ok = vector("04 0010  05  02  08 8bb8  01 07 02  0e 40  b7f3 03 c0ffee",
            new SubscribeOk(5, MessageParameters.of(new Parameter.Expires(3000),
                new Parameter.LargestObject(new Location(7, 2))),
                Properties.of(KeyValuePair.ofVarint(0x0E, 64), KeyValuePair.ofBytes(0x3801, Bytes.fromHex("c0ffee")))));
        assertThat(ok.trackAlias()).isEqualTo(5);
        // FORWARD in a SUBSCRIBE_OK: "If it appears in some other type of message ... PROTOCOL_VIOLATION" (§9.20.1).
        assertThat(errorOf("04 0004  05  01  10 01")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void publishCarriesItsAliasAndInitialSubscriptionParameters_9_8() throws WireException
    {
        // Request ID 1, "live"/"hd", Track Alias 9; FORWARD (0x10) 0, LOCATION_FILTER (0x21, delta 0x11) Next Object;
        // no Track Properties.
        vector("1d 0012  01 " + LIVE_HD + "  09  02  10 00  11 02 00 00",
            new Publish(1, LIVE, HD, 9, MessageParameters.of(new Parameter.Forward(false),
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT)), Properties.EMPTY));
        // FILL_PARAMETERS "MAY appear in a SUBSCRIBE or REQUEST_UPDATE" (§9.20.16), not in PUBLISH.
        assertThat(errorOf("1d 000f  01 " + LIVE_HD + "  09  01  23 01 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void publishNamespaceWithAnAuthorizationToken_9_14_8_9() throws WireException
    {
        // Request ID 2, namespace ("live"), AUTHORIZATION_TOKEN (0x03, length-prefixed 3): USE_VALUE (0x3), Token Type
        // 0, Token Value "t" (the rest of the parameter).
        vector("06 000d  02  01 04 6c697665  01  03 03 03 00 74",
            new PublishNamespace(2, LIVE, MessageParameters.of(
                new Parameter.AuthorizationToken(AuthToken.useValue(0, Bytes.utf8("t"))))));
        // A Track Namespace Field of length 0 (§8.7).
        assertThat(errorOf("06 0004  02  01 00  00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // 33 Track Namespace Fields (§8.7: "greater than 32").
        assertThat(errorOf("06 0045  02  21 " + "0161".repeat(33) + " 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // FORWARD is no PUBLISH_NAMESPACE parameter (§9.20.19).
        assertThat(errorOf("06 000a  02  01 04 6c697665  01  10 01")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void subscribeNamespaceTakesAPrefixOfZeroTo32Fields_9_15() throws WireException
    {
        vector("50 000b  04  02 04 6c697665 02 6864  00",
            new SubscribeNamespace(4, TrackNamespace.of("live", "hd"), MessageParameters.EMPTY));
        vector("50 0003  06  00  00", new SubscribeNamespace(6, TrackNamespace.EMPTY, MessageParameters.EMPTY));
        assertThat(errorOf("50 0045  06  21 " + "0161".repeat(33) + " 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void namespaceAndNamespaceDoneCarryOnlyTheSuffix_9_16_9_17() throws WireException
    {
        vector("08 0005  01 03 313030", new Namespace(TrackNamespace.of("100")));
        vector("0e 0005  01 03 313030", new NamespaceDone(TrackNamespace.of("100")));
        // No Request ID, no parameters: a byte after the suffix does not match the length (§9).
        assertThat(errorOf("08 0006  01 03 313030 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void requestErrorRedirect_9_4_1_9_4_2() throws WireException
    {
        // REDIRECT (0x34), Retry Interval 0, empty Reason; Redirect: Connect URI Length 0 (this session), "live"/"hd".
        final RequestError error = vector("05 000d  34 00 00  00 01 04 6c697665 02 6864",
            RequestError.redirect(0, Bytes.EMPTY, new Redirect(Bytes.EMPTY, LIVE, HD)));
        assertThat(error.errorCode()).isEqualTo(RequestErrorCode.REDIRECT);
        // "Present only when Error Code is REDIRECT": after DOES_NOT_EXIST the same bytes exceed the message.
        assertThat(errorOf("05 000d  10 00 00  00 01 04 6c697665 02 6864")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void subscriptionParameters_9_20_5_9_20_7_9_20_4_9_20_8_9_20_9_9_20_20() throws WireException
    {
        // OBJECT_DELIVERY_TIMEOUT (0x02) 250 (0x80fa); RENDEZVOUS_TIMEOUT (0x04) 10; SUBGROUP_DELIVERY_TIMEOUT (0x06)
        // 2000 (0x87d0); SUBSCRIBER_PRIORITY (0x20, delta 0x1a, uint8) 5; GROUP_ORDER (0x22, uint8) Descending;
        // NEW_GROUP_REQUEST (0x32, delta 0x10) 0.
        final Subscribe subscribe = vector(
            "03 0019  00 " + LIVE_HD + "  06  02 80fa  02 0a  02 87d0  1a 05  02 02  10 00",
            new Subscribe(0, LIVE, HD, MessageParameters.of(new Parameter.ObjectDeliveryTimeout(250),
                new Parameter.RendezvousTimeout(10), new Parameter.SubgroupDeliveryTimeout(2000),
                new Parameter.SubscriberPriority(5), new Parameter.Order(GroupOrder.DESCENDING),
                new Parameter.NewGroupRequest(0))));
        assertThat(subscribe.groupOrder()).contains(GroupOrder.DESCENDING);
        // GROUP_ORDER 3 and FORWARD 2: "outside this range ... PROTOCOL_VIOLATION" (§9.20.9, §9.20.19).
        assertThat(errorOf("03 000d  00 " + LIVE_HD + "  01  22 03")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf("03 000d  00 " + LIVE_HD + "  01  10 02")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // An unknown Message Parameter (0x0C) cannot be skipped (§9.20).
        assertThat(errorOf("03 000d  00 " + LIVE_HD + "  01  0c 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // FORWARD twice (a Type Delta of 0): a repeated Parameter Type (§9.20).
        assertThat(errorOf("03 000f  00 " + LIVE_HD + "  02  10 01  00 01")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // EXPIRES is for the answers, not SUBSCRIBE (§9.20.17).
        assertThat(errorOf("03 000d  00 " + LIVE_HD + "  01  08 00")).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void fetchFillTimeout_9_20_6() throws WireException
    {
        // FILL_TIMEOUT (0x0A) 1000 ms (0x83e8).
        vector("16 000e  02 " + LIVE_HD + "  01  0a 83e8",
            new Fetch(2, LIVE, HD, MessageParameters.of(new Parameter.FillTimeout(1000))));
    }

    @Test
    void requestUpdateOfANamespaceSubscriptionsPrefix_9_5_2_9_20_21() throws WireException
    {
        // TRACK_NAMESPACE_PREFIX (0x34): a bare Track Namespace (§8.7), no length prefix.
        final RequestUpdate update = vector("02 0009  0a  01  34 01 04 6c697665",
            new RequestUpdate(10, MessageParameters.of(new Parameter.TrackNamespacePrefix(LIVE))));
        update.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIBE_NAMESPACE);
        update.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIBE_TRACKS);
        assertThatThrownBy(() -> update.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIPTION))
            .isInstanceOf(WireException.class);
    }

    @Test
    void subscribeTracksTrackPropertyFilter_9_18_1_9_20_15() throws WireException
    {
        // TRACK_PROPERTY_FILTER (0x29), length 4: SetID 0, Property Type 0x0E, one Range Start 0, End delta 64.
        final SubscribeTracks tracks = vector("51 0009  06  00  01  29 04 00 0e 00 40",
            new SubscribeTracks(6, TrackNamespace.EMPTY, MessageParameters.of(new Parameter.Range(RangeFilter.of(
                ParameterType.TRACK_PROPERTY_FILTER, 0, 0x0E, new RangeFilter.Range(0, 64))))));
        assertThat(tracks.parameters().rangeFilterProblem(16)).isNull();
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
