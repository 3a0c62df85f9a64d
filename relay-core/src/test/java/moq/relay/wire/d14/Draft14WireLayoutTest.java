package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expected bytes written by hand from the draft-14 message diagrams, so a mistake made the same way in the
 * encoder and the decoder still shows. Each test checks both directions.
 */
class Draft14WireLayoutTest
{
    private static final Draft14ControlCodec CODEC = Draft14ControlCodec.INSTANCE;

    private static void assertWire(final Draft14Message message, final String hex) throws Exception
    {
        final byte[] expected = Bytes.fromHex(hex).array();
        assertThat(Bytes.wrap(CODEC.encodeToBytes(message)).hex()).isEqualTo(Bytes.wrap(expected).hex());
        assertThat(CODEC.decode(expected)).isEqualTo(message);
    }

    @Test
    void clientSetupListsVersionsThenCountedAbsoluteTypeParameters() throws Exception
    {
        assertWire(
            new ClientSetup(List.of(0xff00000EL), SetupParameters.builder().path("/moq").maxRequestId(100).build()),
            "20 0013" +                  // type, length 19
            "01 c0000000ff00000e" +      // 1 version: 0xff00000E needs the 8-byte varint
            "02" +                       // 2 parameters
            "01 04 2f6d6f71" +           // PATH (odd: length + bytes) "/moq"
            "02 4064");                  // MAX_REQUEST_ID (even: varint) 100
    }

    @Test
    void serverSetupCarriesTheSelectedVersion() throws Exception
    {
        assertWire(
            new ServerSetup(0xff00000EL, SetupParameters.builder().maxRequestId(0).build()),
            "21 000b c0000000ff00000e 01 02 00");
    }

    @Test
    void moqtImplementationIsSetupParameter7AndAuthority5() throws Exception
    {
        assertWire(
            new ClientSetup(List.of(), SetupParameters.builder().authority("a").implementation("b").build()),
            "20 0008 00 02 05 01 61 07 01 62");
    }

    @Test
    void subscribeWithAbsoluteRangeCarriesStartAndEndGroup() throws Exception
    {
        assertWire(
            new Subscribe(0, TrackNamespace.of("live", "room"), Bytes.utf8("v"), 0x80, GroupOrder.DESCENDING, true,
                SubscriptionFilter.absoluteRange(new Location(5, 0), 9),
                MessageParameters.of(KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 1000))),
            "03 0019" +
            "00" +                       // request ID
            "02 04 6c697665 04 726f6f6d" + // namespace tuple ("live", "room")
            "01 76" +                    // track name "v"
            "80 02 01" +                 // priority, group order descending, forward
            "04 05 00 09" +              // AbsoluteRange, start {5, 0}, end group 9
            "01 02 43e8");               // 1 parameter: DELIVERY_TIMEOUT 1000
    }

    @Test
    void subscribeWithLargestObjectHasNoLocationFields() throws Exception
    {
        assertWire(
            new Subscribe(2, TrackNamespace.of("a"), Bytes.utf8("b"), 1, GroupOrder.PUBLISHER_DEFAULT, false,
                SubscriptionFilter.largestObject(), MessageParameters.EMPTY),
            "03 000b 02 01 01 61 01 62 01 00 00 02 00");
    }

    @Test
    void subscribeOkCarriesLargestLocationOnlyWhenContentExists() throws Exception
    {
        assertWire(new SubscribeOk(0, 7, 0, GroupOrder.ASCENDING, new Location(10, 3), MessageParameters.EMPTY),
            "04 0008 00 07 00 01 01 0a 03 00");
        assertWire(new SubscribeOk(0, 7, 0, GroupOrder.DESCENDING, null, MessageParameters.EMPTY),
            "04 0006 00 07 00 02 00 00");
    }

    @Test
    void subscribeUpdateHasRequestIdThenSubscriptionRequestId() throws Exception
    {
        assertWire(new SubscribeUpdate(2, 0, new Location(5, 1), 0, 3, false, MessageParameters.EMPTY),
            "02 0008 02 00 05 01 00 03 00 00");
    }

    @Test
    void publishDoneCarriesStatusStreamCountAndReason() throws Exception
    {
        assertWire(new PublishDone(2, 2, PublishDone.UNKNOWN_STREAM_COUNT, Bytes.utf8("end")),
            "0b 000e 02 02 ffffffffffffffff 03 656e64");
    }

    @Test
    void publishUsesThe16BitLengthAndPutsForwardAfterLargestLocation() throws Exception
    {
        assertWire(
            new Publish(1, TrackNamespace.of("a"), Bytes.utf8("t"), 5, GroupOrder.DESCENDING, new Location(64, 0), true,
                MessageParameters.of(
                    KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 5000),
                    KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN,
                        AuthorizationToken.useValue(0, Bytes.utf8("tok")).encode()))),
            "1d 0018" +
            "01 01 01 61 01 74" +        // request ID, namespace ("a"), name "t"
            "05 02" +                    // alias, group order
            "01 4040 00" +               // content exists, largest {64, 0}
            "01" +                       // forward
            "02 04 5388" +               // 2 parameters: MAX_CACHE_DURATION 5000
            "03 05 03 00 746f6b");       // AUTHORIZATION TOKEN: USE_VALUE, type 0, "tok"
    }

    @Test
    void publishOkPutsForwardBeforePriorityAndOrder() throws Exception
    {
        assertWire(new PublishOk(1, true, 0x80, GroupOrder.ASCENDING, SubscriptionFilter.nextGroupStart(),
            MessageParameters.EMPTY), "1e 0006 01 01 80 01 01 00");
    }

    @Test
    void standaloneFetchCarriesTrackAndBothLocations() throws Exception
    {
        assertWire(
            Fetch.standalone(6, 1, GroupOrder.ASCENDING,
                new StandaloneFetch(TrackNamespace.of("a"), Bytes.utf8("b"), new Location(1, 0), new Location(2, 0)),
                MessageParameters.EMPTY),
            "16 000e 06 01 01 01 01 01 61 01 62 01 00 02 00 00");
    }

    @Test
    void joiningFetchCarriesRequestIdAndJoiningStart() throws Exception
    {
        assertWire(
            Fetch.joining(4, 0x10, GroupOrder.PUBLISHER_DEFAULT, FetchType.RELATIVE_JOINING, new JoiningFetch(0, 3),
                MessageParameters.EMPTY),
            "16 0007 04 10 00 02 00 03 00");
    }

    @Test
    void fetchOkCarriesEndOfTrackAndEndLocation() throws Exception
    {
        assertWire(new FetchOk(4, GroupOrder.DESCENDING, true, new Location(3, 0), MessageParameters.EMPTY),
            "18 0006 04 02 01 03 00 00");
    }

    @Test
    void goawayIsALengthPrefixedUri() throws Exception
    {
        assertWire(new Goaway(Bytes.utf8("/new")), "10 0005 04 2f6e6577");
    }

    @Test
    void namespaceMessagesCarryTuplesAndNoRequestIdWhereTheDraftHasNone() throws Exception
    {
        assertWire(new SubscribeNamespace(8, TrackNamespace.of("live"), MessageParameters.EMPTY),
            "11 0008 08 01 04 6c697665 00");
        assertWire(new PublishNamespaceCancel(TrackNamespace.of("x"), 4, Bytes.EMPTY), "0c 0005 01 01 78 04 00");
        assertWire(new PublishNamespaceDone(TrackNamespace.of("x")), "09 0003 01 01 78");
        assertWire(new UnsubscribeNamespace(TrackNamespace.of("x")), "14 0003 01 01 78");
    }

    /** -14 forbids the empty prefix, but it decodes: the session answers it instead of ending the call. */
    @Test
    void anEmptyNamespacePrefixDecodesForTheSessionToAnswer() throws Exception
    {
        assertWire(new SubscribeNamespace(0, TrackNamespace.EMPTY, MessageParameters.EMPTY), "11 0003 00 00 00");
        assertWire(new UnsubscribeNamespace(TrackNamespace.EMPTY), "14 0001 00");
    }

    /**
     * @moq/lite 0.2.2 writes UNSUBSCRIBE_NAMESPACE as a Request ID (the later drafts' form). The draft's codec reads
     * a prefix, so id 2 is a malformed 2-field tuple; the codec chosen for that peer reads the request id, and only it.
     */
    @Test
    void unsubscribeNamespaceIsAPrefixUnlessTheRequestIdFormIsChosen() throws Exception
    {
        final Draft14ControlCodec requestIdForm = Draft14ControlCodec.REQUEST_ID_UNSUBSCRIBE_NAMESPACE;
        final byte[] requestId2 = Bytes.fromHex("14 0001 02").array();

        assertThatThrownBy(() -> CODEC.decode(requestId2)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        assertThat(CODEC.decode(Bytes.fromHex("14 0001 00").array()))
            .isEqualTo(new UnsubscribeNamespace(TrackNamespace.EMPTY));

        assertThat(requestIdForm.decode(requestId2)).isEqualTo(new UnsubscribeNamespaceRequest(2));
        assertThat(requestIdForm.decode(Bytes.fromHex("14 0002 4062").array()))
            .isEqualTo(new UnsubscribeNamespaceRequest(98));
        assertThat(Bytes.wrap(requestIdForm.encodeToBytes(new UnsubscribeNamespaceRequest(2))).hex())
            .isEqualTo(Bytes.wrap(requestId2).hex());
        // The draft's form is not that codec's: prefix "x" reads as request id 1 and two bytes too many.
        assertThatThrownBy(() -> requestIdForm.decode(Bytes.fromHex("14 0003 01 01 78").array()))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        // Every other message reads as the draft has it.
        final byte[] subscribeNamespace = Bytes.fromHex("11 0008 08 01 04 6c697665 00").array();
        assertThat(requestIdForm.decode(subscribeNamespace)).isEqualTo(CODEC.decode(subscribeNamespace));
    }

    @Test
    void errorsAreRequestIdCodeAndReasonPhrase() throws Exception
    {
        assertWire(new FetchError(4, 6, Bytes.utf8("no")), "19 0005 04 06 02 6e6f");
        assertWire(new TrackStatusError(5, 0x12, Bytes.EMPTY), "0f 0003 05 12 00");
    }

    @Test
    void singleVarintMessagesUseTheirOwnTypes() throws Exception
    {
        assertWire(new MaxRequestId(0x4000), "15 0004 80004000");
        assertWire(new RequestsBlocked(10), "1a 0001 0a");
        assertWire(new Unsubscribe(1), "0a 0001 01");
        assertWire(new FetchCancel(1), "17 0001 01");
        assertWire(new PublishNamespaceOk(1), "07 0001 01");
        assertWire(new SubscribeNamespaceOk(1), "12 0001 01");
    }

    @Test
    void authorizationTokenAliasTypesSerializeTheirOwnFields()
    {
        assertThat(AuthorizationToken.delete(5).encode().hex()).isEqualTo("0005");
        assertThat(AuthorizationToken.register(5, 1, Bytes.utf8("v")).encode().hex()).isEqualTo("01050176");
        assertThat(AuthorizationToken.useAlias(5).encode().hex()).isEqualTo("0205");
        assertThat(AuthorizationToken.useValue(1, Bytes.utf8("v")).encode().hex()).isEqualTo("030176");
    }
}
