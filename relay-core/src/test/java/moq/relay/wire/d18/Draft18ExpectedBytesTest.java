package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Redirect;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes written by hand from the draft-18 layouts, so that a mistake made the same way in encoder and decoder
 * (which a round trip cannot see) still fails. Each hex string is annotated field by field.
 */
class Draft18ExpectedBytesTest
{
    private static void assertWire(final ControlMessage message, final String frameHex) throws WireException
    {
        final String expected = frameHex.replaceAll("\\s+", "");
        assertThat(Wire.hex(message)).isEqualTo(expected);
        assertThat(Wire.decodeHex(expected)).isEqualTo(message);
    }

    @Test
    void emptySetupIsTypeAf00AndZeroLength() throws WireException
    {
        assertWire(Setup.of(), "af00 0000");
    }

    @Test
    void setupOptionsAreDeltaCodedKeyValuePairsFillingThePayload() throws WireException
    {
        final Setup setup = Setup.of(
            KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8("/x")),
            KeyValuePair.ofVarint(SetupOption.MAX_AUTH_TOKEN_CACHE_SIZE, 1000),
            KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("j")));
        assertWire(setup,
            "af00 000a" +
            "01 02 2f78" +   // PATH (delta 1), length 2, "/x"
            "03 83e8" +      // MAX_AUTH_TOKEN_CACHE_SIZE (delta 3 -> 4), 1000 as a 2-byte varint
            "03 01 6a");     // MOQT_IMPLEMENTATION (delta 3 -> 7), length 1, "j"
        assertThat(setup.maxAuthTokenCacheSize()).isEqualTo(1000);
        assertThat(setup.path()).contains(Bytes.utf8("/x"));
    }

    @Test
    void subscribeLaysOutNamespaceNameAndDeltaCodedParameters() throws WireException
    {
        final Subscribe subscribe = new Subscribe(2, TrackNamespace.of("live", "cam"), Bytes.utf8("hd"),
            MessageParameters.of(
                new Parameter.Forward(false),
                new Parameter.SubscriberPriority(7),
                new Parameter.Filter(SubscriptionFilter.absoluteStart(new Location(5, 0)))));
        assertWire(subscribe,
            "03 0018" +
            "02" +                   // Request ID
            "02 04 6c697665 03 63616d" + // namespace ("live", "cam")
            "02 6864" +              // track name "hd"
            "03" +                   // 3 parameters
            "10 00" +                // FORWARD 0x10 = 0
            "10 07" +                // SUBSCRIBER_PRIORITY 0x20 (delta 0x10) = 7
            "01 03 03 05 00");       // SUBSCRIPTION_FILTER 0x21 (delta 1), length 3: AbsoluteStart {5, 0}
        assertThat(subscribe.forward()).isFalse();
        assertThat(subscribe.subscriberPriority()).isEqualTo(7);
        assertThat(subscribe.filter()).contains(SubscriptionFilter.absoluteStart(new Location(5, 0)));
    }

    @Test
    void subscribeOkEndsWithTrackPropertiesThatRunToTheEnd() throws WireException
    {
        final SubscribeOk ok = new SubscribeOk(9,
            MessageParameters.of(new Parameter.LargestObject(new Location(3, 4))),
            Properties.of(KeyValuePair.ofVarint(0x0E, 5), KeyValuePair.ofBytes(0x3F, Bytes.fromHex("ff"))));
        assertWire(ok,
            "04 000a" +
            "09" +          // Track Alias
            "01 09 03 04" + // 1 parameter: LARGEST_OBJECT {3, 4}
            "0e 05" +       // property 0x0E = 5
            "31 01 ff");    // property 0x3F (delta 0x31), length 1, 0xff
    }

    @Test
    void publishNamespaceCarriesARegisterTokenLengthPrefixed() throws WireException
    {
        final PublishNamespace message = new PublishNamespace(1, TrackNamespace.of("a"), MessageParameters.of(
            new Parameter.AuthorizationToken(AuthToken.register(7, 0, Bytes.utf8("tk")))));
        assertWire(message,
            "06 000c" +
            "01" +                // Request ID
            "01 01 61" +          // namespace ("a")
            "01" +                // 1 parameter
            "03 05 01 07 00 746b"); // AUTHORIZATION_TOKEN, length 5: REGISTER, alias 7, type 0, "tk"
    }

    @Test
    void relativeJoiningFetchCarriesJoiningRequestIdAndStart() throws WireException
    {
        assertWire(Fetch.relativeJoining(4, 2, 3, MessageParameters.of(new Parameter.SubscriberPriority(1))),
            "16 0007" +
            "04 02" +   // Request ID, Fetch Type 2
            "02 03" +   // Joining Request ID, Joining Start
            "01 20 01"); // SUBSCRIBER_PRIORITY = 1
    }

    @Test
    void standaloneFetchCarriesTrackAndBothLocations() throws WireException
    {
        assertWire(Fetch.standalone(0, TrackNamespace.of("n"), Bytes.utf8("t"), new Location(1, 2),
            new Location(3, 0), MessageParameters.EMPTY),
            "16 000c" +
            "00 01" +      // Request ID, Fetch Type 1
            "01 01 6e" +   // namespace ("n")
            "01 74" +      // name "t"
            "01 02 03 00" + // Start {1,2}, End {3,0}
            "00");         // no parameters
    }

    @Test
    void goawayOnControlStreamEndsWithRequestId() throws WireException
    {
        assertWire(Goaway.onControlStream(Bytes.EMPTY, 1000, 5), "10 0004 00 83e8 05");
        assertWire(Goaway.onRequestStream(Bytes.EMPTY, 1000), "10 0003 00 83e8");
    }

    @Test
    void requestErrorWithRedirectAppendsTheRedirectStructure() throws WireException
    {
        assertWire(RequestError.redirect(1, Bytes.utf8("no"),
            new Redirect(Bytes.utf8("m"), TrackNamespace.of("x"), Bytes.EMPTY)),
            "05 000b" +
            "34 01" +     // REDIRECT, Retry Interval 1
            "02 6e6f" +   // reason "no"
            "01 6d" +     // connect URI "m"
            "01 01 78" +  // namespace ("x")
            "00");        // empty track name
    }

    @Test
    void fetchOkStartsWithEndOfTrackByte() throws WireException
    {
        assertWire(new FetchOk(true, new Location(2, 1), Properties.EMPTY), "18 0004 01 02 01 00");
    }

    @Test
    void typesAboveOneByteUseTheLeadingOnesVarint() throws WireException
    {
        // SUBSCRIBE_NAMESPACE 0x50 and SUBSCRIBE_TRACKS 0x51 fit in one byte (7 bits); 0x2F00 needs two.
        assertWire(new SubscribeNamespace(0, TrackNamespace.EMPTY, MessageParameters.EMPTY), "50 0003 00 00 00");
        assertWire(new SubscribeTracks(0, TrackNamespace.EMPTY, MessageParameters.EMPTY), "51 0003 00 00 00");
    }

    @Test
    void nonMinimalPropertyBytesAreForwardedByteForByte() throws WireException
    {
        // Property type 0x0E written as a 2-byte varint (8e -> 800e): valid, and a relay must not rewrite it.
        final String frame = "04 0005 01 00 800e 05";
        final SubscribeOk ok = (SubscribeOk)Wire.decodeHex(frame);

        assertThat(ok.trackProperties().pairs()).containsExactly(KeyValuePair.ofVarint(0x0E, 5));
        assertThat(Wire.hex(ok)).isEqualTo(frame.replace(" ", ""));
    }

    @Test
    void publishOkTypeFromTheTableDecodesAsRequestOkAndIsSentAs0x07() throws WireException
    {
        // 0x1E PUBLISH_OK with the REQUEST_OK layout: FORWARD = 0.
        final ControlMessage decoded = Wire.decodeHex("1e 0003 01 10 00");

        assertThat(decoded).isEqualTo(new RequestOk(MessageParameters.of(new Parameter.Forward(false))));
        assertThat(Wire.hex(decoded)).isEqualTo("0700030110" + "00");
    }
}
