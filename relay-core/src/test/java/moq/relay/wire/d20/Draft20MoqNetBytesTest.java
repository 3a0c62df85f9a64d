package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.GroupOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bytes {@code @moq/net} 0.3.4 (moq-dev's browser client, which speaks draft-20 as {@code moqt-20}) writes at
 * draft-20, captured by running its encoders under Node, against this codec. Where it follows the text the bytes
 * decode and re-encode identically; where it does not, the test pins what this codec does with them, so that a
 * dialect can decide on a quirk (see the report of issue #18 and docs/architecture.md's interop quirks).
 */
class Draft20MoqNetBytesTest
{
    private static ControlMessage decode(final String hex) throws WireException
    {
        return Wire.decodeHex(hex);
    }

    private static void sameBytesBothWays(final String hex) throws WireException
    {
        assertThat(Wire.hex(decode(hex))).isEqualTo(hex);
    }

    @Test
    void subscribeAsItJoinsALiveTrack() throws WireException
    {
        // FORWARD 1, SUBSCRIBER_PRIORITY 7, LOCATION_FILTER of one field (StartGroup 1: the current group),
        // GROUP_ORDER 2: every parameter as the text has it.
        final String hex = "0300140001046c69766502686404100110070101010102";
        final Subscribe subscribe = (Subscribe)decode(hex);
        assertThat(subscribe.forward()).isTrue();
        assertThat(subscribe.subscriberPriority()).isEqualTo(7);
        assertThat(subscribe.filter()).isEqualTo(LocationFilter.relativeStartGroup(1));
        assertThat(subscribe.groupOrder()).contains(GroupOrder.DESCENDING);
        sameBytesBothWays(hex);
    }

    @Test
    void itsIncludePropertiesIsLengthPrefixed()
    {
        // ... 01 0204 01210101: FILL_PARAMETERS (a count, then LOCATION_FILTER StartGroup 1), as this codec reads it;
        // then 12 01 00: INCLUDE_PROPERTIES (0x35) = 0 written with a length byte, "0x35 is odd, so the
        // Key-Value-Pair rule length prefixes it", where §9.20.22 says uint8. Read as the text says, the value is the
        // length (1) and the real value is a trailing byte: the message length does not match.
        final String hex = "03001e0201046c6976650268640610011007010200000102010401210101120100";
        assertThatThrownBy(() -> decode(hex)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
    }

    @Test
    void itsLargestObjectIsLengthPrefixedAsAtDraft18()
    {
        // SUBSCRIBE_OK alias 5, LARGEST_OBJECT written 09 02 03 04 (a length, then {3, 4}), as @moq/net does at
        // draft-18 (PeerQuirks' LengthPrefixedLargestObject). Read as a bare Location it is {2, 3} and "04" is left as
        // Track Properties, an even type without its value.
        assertThatThrownBy(() -> decode("040006050109020304")).isInstanceOf(WireException.class);
        // PUBLISH with LARGEST_OBJECT {7, 1} and FORWARD 1 the same way: the next type delta lands on FILL_TIMEOUT,
        // which PUBLISH may not carry.
        assertThatThrownBy(() -> decode("1d00140101046c69766502686403020902070107012202"))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        // What it expects to read, which this codec writes for a quirk: the length-prefixed form.
        final SubscribeOk quirk = new SubscribeOk(5, MessageParameters.of(
            new Parameter.LengthPrefixedLargestObject(new moq.relay.wire.Location(3, 4))),
            moq.relay.wire.param.Properties.EMPTY);
        assertThat(Wire.hex(quirk)).isEqualTo("040006050109020304");
    }

    private static final Draft20ControlCodec MOQ_NET = Draft20ControlCodec.ODD_TYPES_LENGTH_PREFIXED;

    private static ControlMessage decodeAsMoqNet(final String hex) throws WireException
    {
        final byte[] frame = Bytes.fromHex(hex).toByteArray();
        return MOQ_NET.decode(new org.agrona.concurrent.UnsafeBuffer(frame), 0, frame.length);
    }

    private static String encodeHex(final ControlMessage m)
    {
        final moq.relay.wire.WireWriter writer = new moq.relay.wire.WireWriter(moq.relay.wire.MoqtVarint.INSTANCE);
        MOQ_NET.encode(m, writer);
        return Bytes.wrap(writer.toByteArray(0)).hex();
    }

    @Test
    void itsSubscribeOkWithContentDecodesInItsOwnForm() throws WireException
    {
        // Captured from @moq/net 0.3.4's SubscribeOk.encode at draft 20 for a static track holding groups 0 and 1
        // (BrowserMoqNetDraft20Test's publisher): alias 1, one parameter, LARGEST_OBJECT 09 02 01 03 (a length 2,
        // then {1, 3}); Track Properties TIMESCALE (0x08) 1000 and DEFAULT_PUBLISHER_GROUP_ORDER (0x22) 2.
        final String hex = "04000b0101090201030883e81a02";
        // The draft's bare Location reads {2, 1}, and "03 08 ..." as a Track Property of odd type 3 and length 8.
        assertThatThrownBy(() -> decode(hex)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
        final SubscribeOk ok = (SubscribeOk)decodeAsMoqNet(hex);
        assertThat(ok.trackAlias()).isEqualTo(1);
        assertThat(ok.largestObject()).contains(new moq.relay.wire.Location(1, 3));
        assertThat(ok.trackProperties().pairs()).containsExactly(KeyValuePair.ofVarint(0x08, 1000),
            KeyValuePair.ofVarint(0x22, 2));
        assertThat(encodeHex(ok)).as("re-encodes to the bytes it sent").isEqualTo(hex);
    }

    @Test
    void itsSubscribeWithIncludePropertiesDecodesInItsOwnForm() throws WireException
    {
        // Captured from @moq/net 0.3.4's Subscribe.encode at draft 20 with propertiesWanted false: request 2,
        // ("d20", "static"), "data"; FORWARD 1, SUBSCRIBER_PRIORITY 0, LOCATION_FILTER StartGroup 1, GROUP_ORDER 2,
        // then 13 01 00: INCLUDE_PROPERTIES (0x35) with a length 1 before its value 0.
        final String hex = "03001f02020364323006737461746963046461746105100110000101010102130100";
        assertThatThrownBy(() -> decode(hex)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
        final Subscribe subscribe = (Subscribe)decodeAsMoqNet(hex);
        assertThat(subscribe.parameters().includeProperties()).contains(false);
        assertThat(subscribe.filter()).isEqualTo(LocationFilter.relativeStartGroup(1));
        assertThat(encodeHex(subscribe)).isEqualTo(hex);
        // The earlier capture (FILL_PARAMETERS, then INCLUDE_PROPERTIES 0) too.
        final Subscribe fill = (Subscribe)decodeAsMoqNet(
            "03001e0201046c6976650268640610011007010200000102010401210101120100");
        assertThat(fill.parameters().includeProperties()).contains(false);
        assertThat(fill.parameters().fillParameters()).isPresent();
        // And its PUBLISH with LARGEST_OBJECT {7, 1} and FORWARD 1.
        final Publish publish = (Publish)decodeAsMoqNet("1d00140101046c69766502686403020902070107012202");
        assertThat(publish.largestObject()).contains(new moq.relay.wire.Location(7, 1));
        assertThat(publish.forward()).isTrue();
    }

    @Test
    void itsFormChecksLengthsAndValues()
    {
        // LARGEST_OBJECT whose length cuts the Location short, or leaves a byte over: KEY_VALUE_FORMATTING_ERROR.
        for (final String hex : new String[]{"0400050101090103", "040007010109030103ff"})
        {
            assertThatThrownBy(() -> decodeAsMoqNet(hex)).as(hex).isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
        }
        // INCLUDE_PROPERTIES of length 2: KEY_VALUE_FORMATTING_ERROR; value 2: PROTOCOL_VIOLATION, as in the draft's
        // form.
        assertThatThrownBy(() -> decodeAsMoqNet("03000f0101046c697665026864013502 0001".replace(" ", "")))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
        assertThatThrownBy(() -> decodeAsMoqNet("03000e0101046c6976650268640135 0102".replace(" ", "")))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.PROTOCOL_VIOLATION));
    }

    @Test
    void theDraftsFormIsUnchangedForEveryOtherPeer() throws WireException
    {
        // The draft codec still reads a bare LARGEST_OBJECT {3, 4} and a bare INCLUDE_PROPERTIES 0, and writes them.
        final SubscribeOk ok = (SubscribeOk)decode("0400050501090304");
        assertThat(ok.largestObject()).contains(new moq.relay.wire.Location(3, 4));
        sameBytesBothWays("0400050501090304");
        final Subscribe s = (Subscribe)decode("03000d0101046c69766502686401" + "3500");
        assertThat(s.parameters().includeProperties()).contains(false);
        sameBytesBothWays("03000d0101046c697665026864013500");
        // ... which the length-prefixed form reads differently: bare {3, 4} is a length 3 that runs past the message.
        assertThatThrownBy(() -> decodeAsMoqNet("0400050501090304")).isInstanceOf(WireException.class);
    }

    @Test
    void theMessagesItWritesAsTheTextDoes() throws WireException
    {
        // GOAWAY: empty URI, Timeout 1000, no Request ID.
        assertThat(decode("1000030083e8")).isEqualTo(new Goaway(Bytes.EMPTY, 1000));
        sameBytesBothWays("1000030083e8");
        // PUBLISH_DONE TRACK_ENDED, Stream Count 0, "bye".
        assertThat(decode("0b0006020003627965")).isEqualTo(
            new PublishDone(PublishDoneCode.TRACK_ENDED, 0, Bytes.utf8("bye")));
        // REQUEST_ERROR DOES_NOT_EXIST, Retry Interval 0, "x".
        assertThat(decode("05000410000178")).isEqualTo(
            RequestError.of(RequestErrorCode.DOES_NOT_EXIST, 0, Bytes.utf8("x")));
        // REQUEST_OK with no parameters and no Track Properties.
        assertThat(decode("07000100")).isEqualTo(RequestOk.EMPTY);
        // PUBLISH_NAMESPACE request 1, ("live"), no parameters.
        assertThat(decode("0600080101046c69766500")).isEqualTo(
            new PublishNamespace(1, TrackNamespace.of("live"), MessageParameters.EMPTY));
        // SETUP with MOQT_IMPLEMENTATION "moq".
        assertThat(decode("af00000507036d6f71")).isEqualTo(
            Setup.of(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("moq"))));
        for (final String hex : new String[]{"0b0006020003627965", "05000410000178", "07000100",
            "0600080101046c69766500", "af00000507036d6f71"})
        {
            sameBytesBothWays(hex);
        }
    }
}
