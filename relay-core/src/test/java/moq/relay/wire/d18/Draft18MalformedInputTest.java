package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static moq.relay.wire.SessionError.KEY_VALUE_FORMATTING_ERROR;
import static moq.relay.wire.SessionError.PROTOCOL_VIOLATION;
import static moq.relay.wire.d18.Wire.repeat;
import static moq.relay.wire.d18.Wire.varint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every class of malformed input yields a WireException carrying the session error draft-18 prescribes. */
class Draft18MalformedInputTest
{
    /** Request ID 0, namespace ("a"), track name "b": the SUBSCRIBE / TRACK_STATUS head before the parameters. */
    private static final String TRACK_HEAD = "00 01 01 61 01 62";
    private static final String NINE_BYTE_MAX = "ffffffffffffffffff";

    private static void assertRejected(final long type, final String payloadHex, final SessionError error)
    {
        assertRejected(() -> Wire.decodePayloadHex(type, payloadHex), error);
    }

    private static void assertRejected(final ThrowableAssert.ThrowingCallable call, final SessionError error)
    {
        assertThatThrownBy(call).isInstanceOf(WireException.class)
            .satisfies(e -> assertThat(((WireException)e).error()).isEqualTo(error));
    }

    private static ControlMessage accepted(final long type, final String payloadHex) throws WireException
    {
        return Wire.decodePayloadHex(type, payloadHex);
    }

    @Nested
    class Framing
    {
        @Test
        void lengthLongerThanThePayloadIsAProtocolViolation()
        {
            assertRejected(() -> Wire.decodeHex("03 0010 00"), PROTOCOL_VIOLATION);
        }

        @Test
        void lengthShorterThanTheFrameIsAProtocolViolation()
        {
            assertRejected(() -> Wire.decodeHex("10 0002 00 00 05"), PROTOCOL_VIOLATION);
        }

        @Test
        void missingLengthIsAProtocolViolation()
        {
            assertRejected(() -> Wire.decodeHex("03 00"), PROTOCOL_VIOLATION);
        }

        @Test
        void truncatedTypeIsAProtocolViolation()
        {
            assertRejected(() -> Wire.decodeHex("af"), PROTOCOL_VIOLATION);
        }

        @ParameterizedTest(name = "type 0x{0}")
        @ValueSource(strings = {"01", "09", "0a", "11", "1f", "20", "21", "40", "41", "2f01", "7f"})
        void unknownOrReservedTypeIsAProtocolViolation(final String typeHex)
        {
            assertRejected(Long.parseLong(typeHex, 16), "", PROTOCOL_VIOLATION);
        }

        @Test
        void typeBeyondIntRangeIsAProtocolViolation()
        {
            assertRejected(() -> Wire.decode(Wire.frame(0x1_0000_0003L, new byte[0])), PROTOCOL_VIOLATION);
        }
    }

    @Nested
    class TruncationAndTrailingBytes
    {
        @Test
        void namespaceFieldCutShortIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, "00 01 05 61", PROTOCOL_VIOLATION);
        }

        @Test
        void missingParameterCountIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD, PROTOCOL_VIOLATION);
        }

        @Test
        void parameterValueCutShortIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 10", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE_OK, "00 01 09 03", PROTOCOL_VIOLATION);
        }

        @Test
        void multiByteVarintCutShortIsAProtocolViolation()
        {
            assertRejected(MessageType.PUBLISH_DONE, "00 ff", PROTOCOL_VIOLATION);
        }

        @Test
        void trailingBytesAfterTheLastFieldAreAProtocolViolation()
        {
            assertRejected(MessageType.PUBLISH_DONE, "00 00 00 ff", PROTOCOL_VIOLATION);
            assertRejected(MessageType.GOAWAY, "00 00 05 06", PROTOCOL_VIOLATION);
            assertRejected(MessageType.NAMESPACE, "01 01 61 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_ERROR, "10 00 00 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "00 00", PROTOCOL_VIOLATION);
        }

        @Test
        void redirectCodeWithoutRedirectIsAProtocolViolation()
        {
            assertRejected(MessageType.REQUEST_ERROR, "34 00 00", PROTOCOL_VIOLATION);
        }

        @Test
        void lengthPrefixedParameterLongerThanTheMessageIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 05 03 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03" + NINE_BYTE_MAX, PROTOCOL_VIOLATION);
        }
    }

    @Nested
    class Parameters
    {
        @ParameterizedTest(name = "type delta 0x{0}")
        @ValueSource(strings = {"00", "01", "05", "07", "0b", "30", "33", "35"})
        void unknownParameterIsAProtocolViolation(final String typeHex)
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 " + typeHex + " 00", PROTOCOL_VIOLATION);
        }

        @ParameterizedTest(name = "{2} in message 0x{0}")
        @CsvSource({
            "03, 0a 00, FILL_TIMEOUT in SUBSCRIBE",
            "03, 08 00, EXPIRES in SUBSCRIBE",
            "03, 34 00, TRACK_NAMESPACE_PREFIX in SUBSCRIBE",
            "0d, 10 01, FORWARD in TRACK_STATUS",
            "0d, 04 00, RENDEZVOUS_TIMEOUT in TRACK_STATUS",
            "0d, 20 01, SUBSCRIBER_PRIORITY in TRACK_STATUS",
            "1d, 04 00, RENDEZVOUS_TIMEOUT in PUBLISH",
            "1d, 20 01, SUBSCRIBER_PRIORITY in PUBLISH",
            "16, 10 01, FORWARD in FETCH",
            "16, 02 00, OBJECT_DELIVERY_TIMEOUT in FETCH",
            "06, 10 01, FORWARD in PUBLISH_NAMESPACE",
            "50, 10 01, FORWARD in SUBSCRIBE_NAMESPACE",
            "51, 20 01, SUBSCRIBER_PRIORITY in SUBSCRIBE_TRACKS",
            "02, 22 01, GROUP_ORDER in REQUEST_UPDATE",
            "02, 09 00 00, LARGEST_OBJECT in REQUEST_UPDATE",
        })
        void parameterTheMessageMayNotCarryIsAProtocolViolation(
            final String typeHex, final String parameterHex, final String what)
        {
            final long type = Long.parseLong(typeHex, 16);
            final String head;
            if (type == MessageType.SUBSCRIBE || type == MessageType.TRACK_STATUS)
            {
                head = TRACK_HEAD;
            }
            else if (type == MessageType.PUBLISH)
            {
                head = TRACK_HEAD + "00";
            }
            else if (type == MessageType.FETCH)
            {
                head = "00 02 00 00";
            }
            else if (type == MessageType.REQUEST_UPDATE)
            {
                head = "00";
            }
            else
            {
                head = "00 01 01 61";
            }
            assertRejected(type, head + "01 " + parameterHex, PROTOCOL_VIOLATION);
        }

        @Test
        void parametersInResponsesOutsideTheirListsAreProtocolViolations()
        {
            assertRejected(MessageType.SUBSCRIBE_OK, "00 01 10 01", PROTOCOL_VIOLATION);
            assertRejected(MessageType.FETCH_OK, "00 01 00 01 08 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_OK, "01 03 02 02 01", PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_OK, "01 04 00", PROTOCOL_VIOLATION);
        }

        @Test
        void repeatedParameterIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "02 10 01 00 01", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE_OK, "00 02 08 01 00 02", PROTOCOL_VIOLATION);
        }

        @Test
        void repeatedAuthorizationTokenIsAccepted() throws WireException
        {
            // Two USE_ALIAS tokens: type 0x03 (length 2: 02 01), then delta 0 (length 2: 02 02).
            final Subscribe subscribe = (Subscribe)accepted(MessageType.SUBSCRIBE, TRACK_HEAD + "02 03 02 02 01 00 02 02 02");
            assertThat(subscribe.authorizationTokens()).containsExactly(AuthToken.useAlias(1), AuthToken.useAlias(2));
        }

        @Test
        void typeDeltaPast2To64IsAProtocolViolation()
        {
            assertThatThrownBy(() -> Wire.decodePayloadHex(MessageType.SUBSCRIBE,
                TRACK_HEAD + "02 03 02 02 01" + NINE_BYTE_MAX + "00"))
                .isInstanceOf(WireException.class)
                .hasMessageContaining("overflow")
                .satisfies(e -> assertThat(((WireException)e).error()).isEqualTo(PROTOCOL_VIOLATION));
        }

        @Test
        void parameterCountLargerThanTheMessageIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + NINE_BYTE_MAX, PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "03 10 01", PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_OK, "c0000000", PROTOCOL_VIOLATION);
        }

        @ParameterizedTest(name = "FORWARD {0}")
        @ValueSource(strings = {"02", "ff"})
        void forwardOtherThanZeroOrOneIsAProtocolViolation(final String value)
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 10 " + value, PROTOCOL_VIOLATION);
        }

        @ParameterizedTest(name = "GROUP_ORDER {0}")
        @ValueSource(strings = {"00", "03", "ff"})
        void groupOrderOtherThanOneOrTwoIsAProtocolViolation(final String value)
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 22 " + value, PROTOCOL_VIOLATION);
            assertRejected(MessageType.FETCH, "00 02 00 00 01 22 " + value, PROTOCOL_VIOLATION);
        }

        @Test
        void everyUint8SubscriberPriorityIsAccepted() throws WireException
        {
            assertThat(((Subscribe)accepted(MessageType.SUBSCRIBE, TRACK_HEAD + "01 20 ff")).subscriberPriority())
                .isEqualTo(255);
        }
    }

    @Nested
    class Filters
    {
        @ParameterizedTest(name = "filter type {0}")
        @ValueSource(strings = {"00", "05", "7f"})
        void unknownFilterTypeIsAProtocolViolation(final String filterType)
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 03 " + filterType + " 00 00", PROTOCOL_VIOLATION);
        }

        @Test
        void filterCutShortInsideItsLengthIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 02 03 05", KEY_VALUE_FORMATTING_ERROR);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 03 04 05 00", KEY_VALUE_FORMATTING_ERROR);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 00", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void filterWithBytesLeftInsideItsLengthIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 02 01 00", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void absoluteRangeEndGroupPast2To64IsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 21 0c 04" + NINE_BYTE_MAX + "00 01",
                PROTOCOL_VIOLATION);
        }

        @Test
        void absoluteRangeEndingAtTheLastGroupIsAccepted() throws WireException
        {
            final Subscribe s = (Subscribe)accepted(MessageType.SUBSCRIBE,
                TRACK_HEAD + "01 21 0c 04" + NINE_BYTE_MAX + "00 00");
            assertThat(s.filter()).hasValueSatisfying(f -> assertThat(f.endGroup()).isEqualTo(-1L));
        }
    }

    @Nested
    class Tokens
    {
        @Test
        void unknownAliasTypeIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 01 04", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void registerWithoutTokenTypeIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 02 01 07", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void aliasOnlyTokenWithTrailingBytesIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 03 00 07 00", KEY_VALUE_FORMATTING_ERROR);
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 03 02 07 00", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void emptyTokenIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 00", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void useValueTokenRunsToTheEndOfItsLength() throws WireException
        {
            final Subscribe s = (Subscribe)accepted(MessageType.SUBSCRIBE, TRACK_HEAD + "01 03 04 03 05 61 62");
            assertThat(s.authorizationTokens()).containsExactly(AuthToken.useValue(5, Bytes.utf8("ab")));
        }
    }

    @Nested
    class NamesAndPhrases
    {
        @Test
        void namespaceOf33FieldsIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, "00 21" + repeat("0161", 33) + "00 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SUBSCRIBE_NAMESPACE, "00 21" + repeat("0161", 33) + "00", PROTOCOL_VIOLATION);
        }

        @Test
        void namespaceOf32FieldsIsAccepted() throws WireException
        {
            final Subscribe s = (Subscribe)accepted(MessageType.SUBSCRIBE, "00 20" + repeat("0161", 32) + "00 00");
            assertThat(s.namespace().size()).isEqualTo(32);
        }

        @Test
        void hugeNamespaceFieldCountIsAProtocolViolation()
        {
            assertRejected(MessageType.NAMESPACE, NINE_BYTE_MAX, PROTOCOL_VIOLATION);
        }

        @Test
        void emptyNamespaceFieldIsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE, "00 01 00 00 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.NAMESPACE_DONE, "02 01 61 00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_UPDATE, "00 01 34 01 00", PROTOCOL_VIOLATION);
        }

        @Test
        void fullTrackNameOf4097BytesIsAProtocolViolation()
        {
            final String payload = "00 01" + varint(4000) + repeat("61", 4000) + varint(97) + repeat("62", 97) + "00";
            assertRejected(MessageType.SUBSCRIBE, payload, PROTOCOL_VIOLATION);
            assertRejected(MessageType.PUBLISH_BLOCKED,
                "01" + varint(4000) + repeat("61", 4000) + varint(97) + repeat("62", 97), PROTOCOL_VIOLATION);
        }

        @Test
        void namespaceAloneOver4096BytesIsAProtocolViolation()
        {
            assertRejected(MessageType.PUBLISH_NAMESPACE,
                "00 02" + varint(4000) + repeat("61", 4000) + varint(97) + repeat("62", 97) + "00", PROTOCOL_VIOLATION);
        }

        @Test
        void fullTrackNameOf4096BytesIsAccepted() throws WireException
        {
            final String payload = "00 01" + varint(4000) + repeat("61", 4000) + varint(96) + repeat("62", 96) + "00";
            assertThat(accepted(MessageType.SUBSCRIBE, payload)).isInstanceOf(Subscribe.class);
        }

        @Test
        void reasonPhraseOf1025BytesIsAProtocolViolation()
        {
            assertRejected(MessageType.PUBLISH_DONE, "00 00" + varint(1025) + repeat("61", 1025), PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_ERROR, "00 00" + varint(1025) + repeat("61", 1025), PROTOCOL_VIOLATION);
        }

        @Test
        void reasonPhraseOf1024BytesIsAccepted() throws WireException
        {
            final PublishDone done = (PublishDone)accepted(MessageType.PUBLISH_DONE,
                "00 00" + varint(1024) + repeat("61", 1024));
            assertThat(done.reason().length()).isEqualTo(1024);
        }

        @Test
        void goawayUriOf8193BytesIsAProtocolViolation()
        {
            assertRejected(MessageType.GOAWAY, varint(8193) + repeat("61", 8193) + "00", PROTOCOL_VIOLATION);
        }

        @Test
        void goawayUriOf8192BytesIsAccepted() throws WireException
        {
            final Goaway g = (Goaway)accepted(MessageType.GOAWAY, varint(8192) + repeat("61", 8192) + "00");
            assertThat(g.newSessionUri().length()).isEqualTo(8192);
            assertThat(g.requestId()).isNull();
        }
    }

    @Nested
    class PropertiesAndSetupOptions
    {
        @Test
        void propertyValueLengthOf65536IsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE_OK, "00 00 01" + varint(65536), PROTOCOL_VIOLATION);
            assertRejected(MessageType.SETUP, "01" + varint(65536), PROTOCOL_VIOLATION);
        }

        @Test
        void propertyValueRunningPastTheMessageIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SUBSCRIBE_OK, "00 00 01 05 61", KEY_VALUE_FORMATTING_ERROR);
        }

        @Test
        void propertyDeltaTypePast2To64IsAProtocolViolation()
        {
            assertRejected(MessageType.SUBSCRIBE_OK, "00 00 02 00" + NINE_BYTE_MAX + "00", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SETUP, "02 00" + NINE_BYTE_MAX + "00", PROTOCOL_VIOLATION);
        }

        @Test
        void propertyVarintCutShortIsAProtocolViolation()
        {
            assertRejected(MessageType.PUBLISH, TRACK_HEAD + "00 00 02", PROTOCOL_VIOLATION);
        }

        @ParameterizedTest(name = "{1}")
        @CsvSource({
            "22 00, DEFAULT_PUBLISHER_GROUP_ORDER 0",
            "22 03, DEFAULT_PUBLISHER_GROUP_ORDER 3",
            "30 02, DYNAMIC_GROUPS 2",
            "0e 8100, DEFAULT_PUBLISHER_PRIORITY 256",
            "0b 02 30 02, DYNAMIC_GROUPS 2 inside IMMUTABLE_PROPERTIES",
        })
        void trackPropertyValueOutsideItsDefinitionIsAProtocolViolation(final String propertyHex, final String what)
        {
            assertRejected(MessageType.SUBSCRIBE_OK, "00 00" + propertyHex, PROTOCOL_VIOLATION);
            assertRejected(MessageType.PUBLISH, TRACK_HEAD + "00 00" + propertyHex, PROTOCOL_VIOLATION);
            assertRejected(MessageType.FETCH_OK, "00 00 00 00" + propertyHex, PROTOCOL_VIOLATION);
            assertRejected(MessageType.REQUEST_OK, "00" + propertyHex, PROTOCOL_VIOLATION);
        }

        @Test
        void unparsableImmutablePropertiesAreKeptAndReportedAsAMalformedTrack() throws WireException
        {
            // IMMUTABLE_PROPERTIES (0x0B), length 2, holding an odd-type pair whose length runs past the value.
            final SubscribeOk ok = (SubscribeOk)accepted(MessageType.SUBSCRIBE_OK, "00 00 0b 02 01 05");

            assertThat(ok.trackProperties().hasMalformedImmutableProperties()).isTrue();
            assertThat(ok.trackProperties().immutable().isEmpty()).isTrue();
            assertThat(Wire.hex(ok)).isEqualTo("040006" + "00000b020105");
        }

        @Test
        void repeatedKnownSetupOptionIsAProtocolViolation()
        {
            assertRejected(MessageType.SETUP, "01 01 61 00 01 62", PROTOCOL_VIOLATION);
            assertRejected(MessageType.SETUP, "04 01 00 02", PROTOCOL_VIOLATION);
        }

        @Test
        void repeatedUnknownSetupOptionAndTokenAreKept() throws WireException
        {
            final Setup setup = (Setup)accepted(MessageType.SETUP, "03 02 02 01 00 02 02 02 06 01 61 00 01 62");
            assertThat(setup.authorizationTokens()).containsExactly(AuthToken.useAlias(1), AuthToken.useAlias(2));
            assertThat(setup.options()).hasSize(4);
        }

        @Test
        void undecodableSetupTokenIsAKeyValueFormattingError()
        {
            assertRejected(MessageType.SETUP, "03 01 04", KEY_VALUE_FORMATTING_ERROR);
        }
    }

    @Nested
    class MessageSpecificFields
    {
        @ParameterizedTest(name = "fetch type {0}")
        @ValueSource(strings = {"00", "04", "7f"})
        void unknownFetchTypeIsAProtocolViolation(final String fetchType)
        {
            assertRejected(MessageType.FETCH, "00 " + fetchType + " 00 00 00", PROTOCOL_VIOLATION);
        }

        @Test
        void endOfTrackOtherThanZeroOrOneIsAProtocolViolation()
        {
            assertRejected(MessageType.FETCH_OK, "02 00 00 00", PROTOCOL_VIOLATION);
        }

        @Test
        void goawayWithoutTimeoutIsAProtocolViolation()
        {
            assertRejected(MessageType.GOAWAY, "00", PROTOCOL_VIOLATION);
        }
    }
}
