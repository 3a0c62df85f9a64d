package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static moq.relay.wire.SessionError.KEY_VALUE_FORMATTING_ERROR;
import static moq.relay.wire.SessionError.PROTOCOL_VIOLATION;
import static moq.relay.wire.d14.D14Frames.CODEC;
import static moq.relay.wire.d14.D14Frames.assertRejected;
import static moq.relay.wire.d14.D14Frames.frame;
import static moq.relay.wire.d14.D14Frames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every class of malformed control message closes the session with the error the draft names. */
class Draft14MalformedInputTest
{
    private static final long QUIC_MAX = D14Examples.MAX;

    static Stream<Arguments> examples()
    {
        return D14Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static byte[] payloadOf(final Draft14Message m)
    {
        final byte[] frame = CODEC.encodeToBytes(m);
        final int typeLength = Draft14ControlCodec.INSTANCE.draft().varint().encodedLength(m.type());
        return Arrays.copyOfRange(frame, typeLength + 2, frame.length);
    }

    private static boolean hasByteValuedParameter(final Draft14Message m)
    {
        final Iterable<KeyValuePair> pairs = m instanceof ParameterizedMessage ? ((ParameterizedMessage)m).parameters().pairs() :
            m instanceof ClientSetup ? ((ClientSetup)m).parameters().pairs() :
            m instanceof ServerSetup ? ((ServerSetup)m).parameters().pairs() : List.of();
        for (final KeyValuePair p : pairs)
        {
            if (p.isBytes() && p.bytesValue().length() > 0)
            {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyTruncationOfAPayloadIsRejected(final String name, final Draft14Message message)
    {
        final byte[] payload = payloadOf(message);
        for (int cut = 0; cut < payload.length; cut++)
        {
            final byte[] truncated = frame(message.type(), Arrays.copyOf(payload, cut));
            final int at = cut;
            assertThatThrownBy(() -> CODEC.decode(truncated))
                .as("payload cut to %d of %d bytes", at, payload.length)
                .isInstanceOfSatisfying(WireException.class, e ->
                {
                    // A byte-valued parameter running past the message is the KVP rule of the shared foundation.
                    if (e.error() != PROTOCOL_VIOLATION)
                    {
                        assertThat(e.error()).isEqualTo(KEY_VALUE_FORMATTING_ERROR);
                        assertThat(hasByteValuedParameter(message)).isTrue();
                    }
                });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void trailingBytesAfterAPayloadAreAProtocolViolation(final String name, final Draft14Message message)
    {
        final byte[] payload = payloadOf(message);
        final byte[] longer = Arrays.copyOf(payload, payload.length + 1);

        assertRejected(frame(message.type(), longer), PROTOCOL_VIOLATION);
    }

    @Test
    void lengthFieldLongerThanTheBytesGivenIsAProtocolViolation()
    {
        assertRejected(Bytes.fromHex("0a 0002 01").array(), PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(longs = {0x00, 0x01, 0x40, 0x41, 0x1B, 0x1C, 0x22, 0x3F, 0x4000, 0x3FFF_FFFF, (1L << 62) - 1})
    void unknownAndReservedMessageTypesAreAProtocolViolation(final long type)
    {
        assertRejected(frame(type, "01"), PROTOCOL_VIOLATION);
    }

    @Test
    void truncatedVarintIsAProtocolViolation()
    {
        assertRejected(frame(MessageType.UNSUBSCRIBE.code(), "80 00"), PROTOCOL_VIOLATION);
    }

    // --- namespaces and names (§"Track Naming")

    static Stream<Arguments> namespaceCarriers()
    {
        return Stream.of(
            Arguments.of("SUBSCRIBE", MessageType.SUBSCRIBE.code(), "00", "01 61 80 00 01 02 00"),
            Arguments.of("TRACK_STATUS", MessageType.TRACK_STATUS.code(), "00", "01 61 80 00 01 02 00"),
            Arguments.of("PUBLISH", MessageType.PUBLISH.code(), "00", "01 61 01 01 00 01 00"),
            Arguments.of("FETCH", MessageType.FETCH.code(), "00 00 01 01", "01 61 00 00 01 00 00"),
            Arguments.of("PUBLISH_NAMESPACE", MessageType.PUBLISH_NAMESPACE.code(), "00", "00"),
            Arguments.of("PUBLISH_NAMESPACE_DONE", MessageType.PUBLISH_NAMESPACE_DONE.code(), "", ""),
            Arguments.of("PUBLISH_NAMESPACE_CANCEL", MessageType.PUBLISH_NAMESPACE_CANCEL.code(), "", "00 00"),
            Arguments.of("SUBSCRIBE_NAMESPACE", MessageType.SUBSCRIBE_NAMESPACE.code(), "00", "00"),
            Arguments.of("UNSUBSCRIBE_NAMESPACE", MessageType.UNSUBSCRIBE_NAMESPACE.code(), "", ""));
    }

    private static String tuple(final int fields)
    {
        final StringBuilder sb = new StringBuilder(String.format("%02x", fields));
        for (int i = 0; i < fields; i++)
        {
            sb.append("0161");
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namespaceCarriers")
    void namespaceOfOneAnd32FieldsIsAcceptedIn(final String name, final long type, final String before, final String after)
        throws Exception
    {
        assertThat(CODEC.decode(frame(type, before + tuple(1) + after))).isNotNull();
        assertThat(CODEC.decode(frame(type, before + tuple(32) + after))).isNotNull();
    }

    /** The carriers of a namespace prefix: an empty one decodes (the session answers it, see SubscribeNamespace). */
    private static boolean prefixCarrier(final String name)
    {
        return name.endsWith("SUBSCRIBE_NAMESPACE");
    }

    static Stream<Arguments> fullNamespaceCarriers()
    {
        return namespaceCarriers().filter(a -> !prefixCarrier((String)a.get()[0]));
    }

    static Stream<Arguments> prefixCarriers()
    {
        return namespaceCarriers().filter(a -> prefixCarrier((String)a.get()[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fullNamespaceCarriers")
    void namespaceOfZeroFieldsIsAProtocolViolationIn(final String name, final long type, final String before,
        final String after)
    {
        assertRejected(frame(type, before + tuple(0) + after), PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prefixCarriers")
    void anEmptyPrefixDecodesIn(final String name, final long type, final String before, final String after)
        throws Exception
    {
        assertThat(CODEC.decode(frame(type, before + tuple(0) + after))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namespaceCarriers")
    void namespaceOf33FieldsIsAProtocolViolationIn(final String name, final long type, final String before,
        final String after)
    {
        assertRejected(frame(type, before + tuple(33) + after), PROTOCOL_VIOLATION);
    }

    @Test
    void hugeNamespaceFieldCountIsRejectedWithoutAllocating()
    {
        assertRejected(payload().varint(0).varint(QUIC_MAX).frame(MessageType.SUBSCRIBE.code()), PROTOCOL_VIOLATION);
    }

    private static byte[] subscribeWithName(final int namespaceBytes, final int nameBytes)
    {
        return payload().varint(0)
            .varint(1).lengthPrefixed(D14Examples.repeat('n', namespaceBytes))
            .lengthPrefixed(D14Examples.repeat('t', nameBytes))
            .hex("80 00 01 02 00")
            .frame(MessageType.SUBSCRIBE.code());
    }

    @Test
    void fullTrackNameOf4096BytesIsAccepted() throws Exception
    {
        final Subscribe s = (Subscribe)CODEC.decode(subscribeWithName(4000, 96));

        assertThat(s.trackNamespace().byteLength() + s.trackName().length()).isEqualTo(4096);
    }

    @Test
    void fullTrackNameOf4097BytesIsAProtocolViolation()
    {
        assertRejected(subscribeWithName(4000, 97), PROTOCOL_VIOLATION);
        assertRejected(subscribeWithName(4097, 0), PROTOCOL_VIOLATION);
    }

    @Test
    void fullTrackNameOf4097BytesInAStandaloneFetchIsAProtocolViolation()
    {
        assertRejected(payload().hex("00 00 01 01")
            .varint(2).lengthPrefixed(D14Examples.repeat('a', 2000)).lengthPrefixed(D14Examples.repeat('b', 2000))
            .lengthPrefixed(D14Examples.repeat('c', 97))
            .hex("00 00 01 00 00").frame(MessageType.FETCH.code()), PROTOCOL_VIOLATION);
    }

    @Test
    void namespaceAloneLongerThanAFullTrackNameIsAProtocolViolation()
    {
        assertRejected(payload().varint(0).varint(1).lengthPrefixed(D14Examples.repeat('n', 4097)).varint(0)
            .frame(MessageType.PUBLISH_NAMESPACE.code()), PROTOCOL_VIOLATION);
    }

    // --- reason phrase, GOAWAY URI

    @Test
    void reasonPhraseOf1025BytesIsAProtocolViolation() throws Exception
    {
        final byte[] ok = payload().varint(0).varint(1).lengthPrefixed(D14Examples.repeat('r', 1024))
            .frame(MessageType.SUBSCRIBE_ERROR.code());
        final byte[] tooLong = payload().varint(0).varint(1).lengthPrefixed(D14Examples.repeat('r', 1025))
            .frame(MessageType.SUBSCRIBE_ERROR.code());

        assertThat(((SubscribeError)CODEC.decode(ok)).reason().length()).isEqualTo(1024);
        assertRejected(tooLong, PROTOCOL_VIOLATION);
    }

    @Test
    void reasonPhraseLengthBeyondAnyMessageIsAProtocolViolation()
    {
        assertRejected(payload().varint(0).varint(0).varint(0).varint(QUIC_MAX).frame(MessageType.PUBLISH_DONE.code()),
            PROTOCOL_VIOLATION);
    }

    @Test
    void goawayUriOf8193BytesIsAProtocolViolation() throws Exception
    {
        assertThat(CODEC.decode(payload().lengthPrefixed(D14Examples.repeat('u', 8192)).frame(MessageType.GOAWAY.code())))
            .isEqualTo(new Goaway(D14Examples.repeat('u', 8192)));
        assertRejected(payload().lengthPrefixed(D14Examples.repeat('u', 8193)).frame(MessageType.GOAWAY.code()),
            PROTOCOL_VIOLATION);
    }

    // --- key-value pairs (§"Key-Value-Pair Structure")

    @Test
    void parameterValueLengthOf65536IsAProtocolViolation()
    {
        assertRejected(payload().varint(0).varint(1).hex("0161").varint(1).varint(0x21).varint(65_536)
            .frame(MessageType.PUBLISH_NAMESPACE.code()), PROTOCOL_VIOLATION);
        assertRejected(payload().varint(0).varint(1).varint(0x21).varint(65_536)
            .frame(MessageType.SERVER_SETUP.code()), PROTOCOL_VIOLATION);
    }

    @Test
    void parameterValueRunningPastTheMessageIsAKeyValueFormattingError()
    {
        assertRejected(payload().varint(0).varint(1).hex("0161").varint(1).varint(0x21).varint(65_535).hex("00")
            .frame(MessageType.PUBLISH_NAMESPACE.code()), KEY_VALUE_FORMATTING_ERROR);
    }

    @Test
    void hugeParameterCountIsRejectedWithoutAllocating()
    {
        assertRejected(payload().varint(0).varint(1).hex("0161").varint(QUIC_MAX)
            .frame(MessageType.PUBLISH_NAMESPACE.code()), PROTOCOL_VIOLATION);
        assertRejected(payload().varint(0).varint(QUIC_MAX).frame(MessageType.CLIENT_SETUP.code()), PROTOCOL_VIOLATION);
    }

    @Test
    void parameterCountLargerThanThePairsPresentIsAProtocolViolation()
    {
        assertRejected(payload().varint(0).varint(1).hex("0161").varint(3).hex("3e00 3e00")
            .frame(MessageType.PUBLISH_NAMESPACE.code()), PROTOCOL_VIOLATION);
    }

    @Test
    void hugeVersionCountIsRejectedWithoutAllocating()
    {
        assertRejected(payload().varint(QUIC_MAX).frame(MessageType.CLIENT_SETUP.code()), PROTOCOL_VIOLATION);
        assertRejected(payload().varint(3).varint(1).varint(2).frame(MessageType.CLIENT_SETUP.code()), PROTOCOL_VIOLATION);
    }

    // --- restricted uint8 fields

    static Stream<Arguments> flagFields()
    {
        // {name, type, payload hex with %s where the uint8 goes}
        return Stream.of(
            Arguments.of("SUBSCRIBE Forward", MessageType.SUBSCRIBE.code(), "00 01 01 61 01 62 80 00 %s 02 00"),
            Arguments.of("TRACK_STATUS Forward", MessageType.TRACK_STATUS.code(), "00 01 01 61 01 62 80 00 %s 02 00"),
            Arguments.of("SUBSCRIBE_UPDATE Forward", MessageType.SUBSCRIBE_UPDATE.code(), "02 00 00 00 00 80 %s 00"),
            Arguments.of("PUBLISH Forward", MessageType.PUBLISH.code(), "01 01 01 61 01 62 05 01 00 %s 00"),
            Arguments.of("PUBLISH_OK Forward", MessageType.PUBLISH_OK.code(), "01 %s 80 01 02 00"),
            Arguments.of("SUBSCRIBE_OK Content Exists", MessageType.SUBSCRIBE_OK.code(), "00 01 00 01 %s 00 00 00"),
            Arguments.of("TRACK_STATUS_OK Content Exists", MessageType.TRACK_STATUS_OK.code(), "00 00 00 01 %s 00 00 00"),
            Arguments.of("PUBLISH Content Exists", MessageType.PUBLISH.code(), "01 01 01 61 01 62 05 01 %s 00 00 01 00"),
            Arguments.of("FETCH_OK End Of Track", MessageType.FETCH_OK.code(), "00 01 %s 00 00 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagFields")
    void zeroOneFieldAccepts0And1(final String name, final long type, final String layout) throws Exception
    {
        // The layouts are written for 1; Content Exists = 0 drops the Largest Location (covered by round trips).
        assertThat(CODEC.decode(frame(type, String.format(layout, "01")))).isNotNull();
        if (!name.contains("Content Exists"))
        {
            assertThat(CODEC.decode(frame(type, String.format(layout, "00")))).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flagFields")
    void zeroOneFieldWithValue2Or255IsAProtocolViolation(final String name, final long type, final String layout)
    {
        assertRejected(frame(type, String.format(layout, "02")), PROTOCOL_VIOLATION);
        assertRejected(frame(type, String.format(layout, "ff")), PROTOCOL_VIOLATION);
    }

    static Stream<Arguments> groupOrderFields()
    {
        // {name, type, layout, whether 0 (publisher's order) is allowed}
        return Stream.of(
            Arguments.of("SUBSCRIBE", MessageType.SUBSCRIBE.code(), "00 01 01 61 01 62 80 %s 01 02 00", true),
            Arguments.of("TRACK_STATUS", MessageType.TRACK_STATUS.code(), "00 01 01 61 01 62 80 %s 01 02 00", true),
            Arguments.of("FETCH", MessageType.FETCH.code(), "00 80 %s 02 00 00 00", true),
            Arguments.of("SUBSCRIBE_OK", MessageType.SUBSCRIBE_OK.code(), "00 01 00 %s 00 00", false),
            Arguments.of("TRACK_STATUS_OK", MessageType.TRACK_STATUS_OK.code(), "00 00 00 %s 00 00", false),
            Arguments.of("PUBLISH", MessageType.PUBLISH.code(), "01 01 01 61 01 62 05 %s 00 01 00", false),
            Arguments.of("PUBLISH_OK", MessageType.PUBLISH_OK.code(), "01 01 80 %s 02 00", false),
            Arguments.of("FETCH_OK", MessageType.FETCH_OK.code(), "00 %s 00 00 00 00", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupOrderFields")
    void groupOrderAbove2IsAProtocolViolation(final String name, final long type, final String layout,
        final boolean zeroAllowed) throws Exception
    {
        assertThat(CODEC.decode(frame(type, String.format(layout, "01")))).isNotNull();
        assertThat(CODEC.decode(frame(type, String.format(layout, "02")))).isNotNull();
        assertRejected(frame(type, String.format(layout, "03")), PROTOCOL_VIOLATION);
        assertRejected(frame(type, String.format(layout, "ff")), PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("groupOrderFields")
    void groupOrderZeroIsAllowedInRequestsOnly(final String name, final long type, final String layout,
        final boolean zeroAllowed) throws Exception
    {
        final byte[] zero = frame(type, String.format(layout, "00"));
        if (zeroAllowed)
        {
            assertThat(CODEC.decode(zero)).isNotNull();
        }
        else
        {
            assertRejected(zero, PROTOCOL_VIOLATION);
        }
    }

    // --- filter and fetch types

    @ParameterizedTest(name = "filter type {0}")
    @ValueSource(longs = {0, 5, 0x40, (1L << 62) - 1})
    void unknownFilterTypeIsAProtocolViolation(final long filterType)
    {
        assertRejected(payload().hex("00 01 01 61 01 62 80 00 01").varint(filterType).hex("00 00 00 00")
            .frame(MessageType.SUBSCRIBE.code()), PROTOCOL_VIOLATION);
        assertRejected(payload().hex("01 01 80 01").varint(filterType).hex("00 00 00 00")
            .frame(MessageType.PUBLISH_OK.code()), PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "fetch type {0}")
    @ValueSource(longs = {0, 4, 0x40})
    void unknownFetchTypeIsAProtocolViolation(final long fetchType)
    {
        assertRejected(payload().hex("00 80 00").varint(fetchType).hex("00 00 00").frame(MessageType.FETCH.code()),
            PROTOCOL_VIOLATION);
    }

    @Test
    void absoluteRangeWithoutItsEndGroupIsTruncated()
    {
        assertRejected(frame(MessageType.SUBSCRIBE.code(), "00 01 01 61 01 62 80 00 01 04 05 00"), PROTOCOL_VIOLATION);
    }

    @Test
    void subscribeWithEndBeforeStartIsCarriedForTheHandlerToAnswerInvalidRange() throws Exception
    {
        final Subscribe s = (Subscribe)CODEC.decode(frame(MessageType.SUBSCRIBE.code(), "00 01 01 61 01 62 80 00 01 04 05 00 04 00"));

        assertThat(s.filter().hasValidRange()).isFalse();
    }

    @Test
    void subscribeUpdateEndingBeforeItsStartGroupIsAProtocolViolation() throws Exception
    {
        // Start {5, 1}; End Group is encoded plus one: 6 means group 5 (fine), 5 means group 4 (before the start).
        assertThat(CODEC.decode(frame(MessageType.SUBSCRIBE_UPDATE.code(), "02 00 05 01 06 80 01 00"))).isNotNull();
        assertRejected(frame(MessageType.SUBSCRIBE_UPDATE.code(), "02 00 05 01 05 80 01 00"), PROTOCOL_VIOLATION);
        assertRejected(frame(MessageType.SUBSCRIBE_UPDATE.code(), "02 00 05 01 01 80 01 00"), PROTOCOL_VIOLATION);
    }

    // --- parameters (§"Parameters")

    @Test
    void repeatedDefinedParameterIsAProtocolViolation()
    {
        assertRejected(frame(MessageType.SUBSCRIBE.code(), "00 01 01 61 01 62 80 00 01 02 02 02 01 02 02"),
            PROTOCOL_VIOLATION);
        assertRejected(frame(MessageType.SUBSCRIBE_OK.code(), "00 01 00 01 00 02 04 01 04 02"), PROTOCOL_VIOLATION);
    }

    @Test
    void repeatedParameterThatIsNotDefinedForTheMessageIsIgnored() throws Exception
    {
        // DELIVERY_TIMEOUT is not defined for FETCH_OK: ignored, so it may repeat and reads as absent.
        final FetchOk ok = (FetchOk)CODEC.decode(frame(MessageType.FETCH_OK.code(), "00 01 00 00 00 03 02 01 02 02 04 09"));

        assertThat(ok.parameters().pairs()).hasSize(3);
        assertThat(ok.deliveryTimeout()).isEmpty();
        assertThat(ok.maxCacheDuration()).hasValue(9);
    }

    @Test
    void repeatedUnknownParameterIsKeptInOrder() throws Exception
    {
        final PublishNamespace p = (PublishNamespace)CODEC.decode(frame(MessageType.PUBLISH_NAMESPACE.code(),
            "00 01 01 61 03 3e 01 21 01 ff 3e 02"));

        assertThat(p.parameters().pairs()).containsExactly(KeyValuePair.ofVarint(0x3E, 1),
            KeyValuePair.ofBytes(0x21, Bytes.fromHex("ff")), KeyValuePair.ofVarint(0x3E, 2));
    }

    @ParameterizedTest(name = "token {0}")
    @ValueSource(strings = {"", "04 01", "00", "00 01 02", "01 05", "02 05 00", "03", "40"})
    void malformedAuthorizationTokenIsAKeyValueFormattingError(final String tokenHex)
    {
        final Bytes token = Bytes.fromHex(tokenHex);
        assertRejected(payload().varint(0).varint(1).hex("0161").varint(1)
            .varint(MessageParameters.AUTHORIZATION_TOKEN).lengthPrefixed(token)
            .frame(MessageType.PUBLISH_NAMESPACE.code()), KEY_VALUE_FORMATTING_ERROR);
        assertRejected(payload().varint(1).varint(VersionNegotiation.DRAFT_14_VERSION).varint(1)
            .varint(SetupParameters.AUTHORIZATION_TOKEN).lengthPrefixed(token)
            .frame(MessageType.CLIENT_SETUP.code()), KEY_VALUE_FORMATTING_ERROR);
    }

    @Test
    void malformedAuthorizationTokenWhereTheParameterIsNotDefinedIsIgnored() throws Exception
    {
        final SubscribeOk ok = (SubscribeOk)CODEC.decode(frame(MessageType.SUBSCRIBE_OK.code(), "00 01 00 01 00 01 03 01 09"));

        assertThat(ok.authorizationTokens()).isEmpty();
        assertThat(ok.parameters().pairs()).hasSize(1);
    }

    @Test
    void repeatedAuthorizationTokensAreAllowedAndParsedInOrder() throws Exception
    {
        final Subscribe s = (Subscribe)CODEC.decode(frame(MessageType.SUBSCRIBE.code(),
            "00 01 01 61 01 62 80 00 01 02 02 03 02 02 05 03 03 03 00 61"));

        assertThat(s.authorizationTokens()).containsExactly(AuthorizationToken.useAlias(5),
            AuthorizationToken.useValue(0, Bytes.utf8("a")));
    }

    @Test
    void evenParameterTypeCarriesAVarintSoAValueLengthCannotBeMisread() throws Exception
    {
        // DELIVERY_TIMEOUT (even) followed by a 4-byte varint value, not a length.
        final Subscribe s = (Subscribe)CODEC.decode(frame(MessageType.SUBSCRIBE.code(),
            "00 01 01 61 01 62 80 00 01 02 01 02 80 01 00 00"));

        assertThat(s.deliveryTimeout()).hasValue(0x10000);
    }

    @Test
    void emptyOrHeaderlessFrameIsAProtocolViolation()
    {
        assertRejected(new byte[0], PROTOCOL_VIOLATION);
        assertRejected(new byte[] {0x03}, PROTOCOL_VIOLATION);
    }

    @Test
    void setupNamespaceTypesDoNotLeakIntoOtherMessages() throws Exception
    {
        // 0x01 is PATH in SETUP but unknown elsewhere: a bad "path" in PUBLISH_NAMESPACE is just an unknown parameter.
        final PublishNamespace p = (PublishNamespace)CODEC.decode(frame(MessageType.PUBLISH_NAMESPACE.code(),
            "00 01 01 61 02 01 01 20 01 01 20"));

        assertThat(p.parameters().pairs()).hasSize(2);
        assertThat(p.trackNamespace()).isEqualTo(TrackNamespace.of("a"));
    }
}
