package moq.relay.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import moq.relay.oracle.Oracle.CorpusEntry;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.Draft14Message;
import moq.relay.wire.d14.MessageType;
import moq.relay.wire.d14.Publish;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.SubscribeUpdate;
import moq.relay.wire.d14.TrackStatusOk;
import moq.relay.wire.d14.VersionNegotiation;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Draft18Message;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Oracle to Java: every draft-18 and draft-14 control message of the oracle's corpus ({@code encode-corpus.mjs}) is
 * decoded by our codec, compared with the oracle's decoded value field by field ({@link OracleModel}), and re-encoded
 * by our encoder to the same bytes.
 *
 * <p>Entries the corpus flags with {@code knownIssue} (the oracle disagrees with the draft text) must each have an
 * entry in {@link #DISAGREEMENTS}: there our codec follows the draft, and the handler asserts what the draft says and
 * exactly where the oracle differs. No entry is skipped: a flagged entry without a handler fails, and so does a
 * handler whose entry has gone.
 */
class OracleControlCorpusTest
{
    private static final Draft18ControlCodec D18 = Draft18ControlCodec.INSTANCE;
    private static final Draft14ControlCodec D14 = Draft14ControlCodec.INSTANCE;

    /** The PUBLISH framing disagreement (draft-14 PUBLISH, PUBLISH_OK, PUBLISH_ERROR). */
    private static final Consumer<CorpusEntry> LENGTH_16_NOT_VARINT = OracleControlCorpusTest::assertDraft14PublishFraming;
    /** TRACK_STATUS in the oracle's draft-16 layout. */
    private static final Consumer<CorpusEntry> TRACK_STATUS_LAYOUT = OracleControlCorpusTest::assertDraft14TrackStatusLayout;

    /**
     * Each corpus entry flagged {@code knownIssue}, by name, with the assertion of what the draft says. All are
     * draft-14: the oracle has draft-16 semantics (README section 4).
     */
    private static final Map<String, Consumer<CorpusEntry>> DISAGREEMENTS = new LinkedHashMap<>();

    static
    {
        // draft-14 §"Versions" {#setup-versions}: CLIENT_SETUP carries Number of Supported Versions and the list.
        // The oracle drops the list on decode and always writes the single version 0xff00000e; we keep both.
        DISAGREEMENTS.put("CLIENT_SETUP two versions (0xff00000e, 0xff00000d) + MAX_REQUEST_ID", e ->
        {
            final ClientSetup ours = (ClientSetup)assertAgreesOnValue(e);
            assertThat(ours.supportedVersions()).containsExactly(VersionNegotiation.DRAFT_14_VERSION, 0xff00000dL);
            assertThat(e.value().has("supportedVersions")).as("oracle keeps no version list").isFalse();
            assertReencodesIdentically(e, ours);
            final ClientSetup oracleRewrite = (ClientSetup)decode14(Bytes.fromHex(e.reencodedHex()));
            assertThat(oracleRewrite.supportedVersions()).containsExactly(VersionNegotiation.DRAFT_14_VERSION);
            assertThat(oracleRewrite.parameters()).isEqualTo(ours.parameters());
        });
        // draft-14 §"SUBSCRIBE_OK" {#message-subscribe-ok}: Number of Parameters counts parameters, not bytes.
        // The oracle decodes this right, but its encoder pads the message with one zero byte per extra even-typed
        // parameter, which a draft-14 decoder (ours) must reject as trailing bytes.
        DISAGREEMENTS.put("SUBSCRIBE_OK with DELIVERY_TIMEOUT parameter", e ->
        {
            final ControlMessage ours = assertAgreesOnValue(e);
            assertReencodesIdentically(e, ours);
            assertThat(e.reencodedHex()).isEqualTo("04000a04060001000102538800");
            assertRejected(Bytes.fromHex(e.reencodedHex()), SessionError.PROTOCOL_VIOLATION);
        });
        // draft-14 §"SUBSCRIBE_UPDATE" {#message-subscribe-update}: End Group is "the end group plus 1"; 0 means
        // open-ended. Wire 1 is End Group 0 (we and the oracle decode it so), but the oracle re-encodes End Group 0
        // as wire 0, turning a one-group update into an open-ended one.
        DISAGREEMENTS.put("SUBSCRIBE_UPDATE end group 0 (wire 1)", e ->
        {
            final SubscribeUpdate ours = (SubscribeUpdate)assertAgreesOnValue(e);
            assertThat(ours.endGroupPlusOne()).isEqualTo(1);
            assertThat(ours.openEnded()).isFalse();
            assertReencodesIdentically(e, ours);
            final SubscribeUpdate oracleRewrite = (SubscribeUpdate)decode14(Bytes.fromHex(e.reencodedHex()));
            assertThat(oracleRewrite.openEnded()).as("oracle's lossy re-encoding").isTrue();
        });
        // draft-14 §"TRACK_STATUS" {#message-track-status}: "identical to the SUBSCRIBE message".
        DISAGREEMENTS.put("TRACK_STATUS (oracle layout)", TRACK_STATUS_LAYOUT);
        DISAGREEMENTS.put("TRACK_STATUS AUTHORIZATION_TOKEN (oracle layout)", TRACK_STATUS_LAYOUT);
        // draft-14 §"TRACK_STATUS_OK" {#message-track-status-ok}: "identical to the SUBSCRIBE_OK message", Track
        // Alias 0. The oracle folds it into REQUEST_OK, dropping Track Alias and Largest Location, and cannot write
        // it back.
        DISAGREEMENTS.put("TRACK_STATUS_OK content exists", e ->
        {
            final TrackStatusOk ours = (TrackStatusOk)assertAgreesOnValue(e);
            assertThat(ours.trackAlias()).isZero();
            assertThat(ours.largestLocation()).isEqualTo(new Location(42, 17));
            assertThat(e.value().get("parameters").has("9")).as("oracle drops Largest Location").isFalse();
            assertReencodesIdentically(e, ours);
            assertThat(e.reencodeError()).isNotBlank();
        });
        DISAGREEMENTS.put("TRACK_STATUS_OK no content", e ->
        {
            final TrackStatusOk ours = (TrackStatusOk)assertAgreesOnValue(e);
            assertThat(ours.largestLocation()).isNull();
            assertThat(e.value().has("trackAlias")).as("oracle drops Track Alias").isFalse();
            assertReencodesIdentically(e, ours);
            assertThat(e.reencodeError()).isNotBlank();
        });
        // draft-14 §"SUBSCRIBE_NAMESPACE_OK": its own message type 0x12 with a Request ID. The oracle reads it as a
        // REQUEST_OK (same Request ID, no parameters) and cannot write it back.
        DISAGREEMENTS.put("SUBSCRIBE_NAMESPACE_OK", e ->
        {
            final SubscribeNamespaceOk ours = (SubscribeNamespaceOk)assertAgreesOnValue(e);
            assertThat(ours.messageType()).isEqualTo(MessageType.SUBSCRIBE_NAMESPACE_OK);
            assertReencodesIdentically(e, ours);
            assertThat(e.reencodeError()).isNotBlank();
        });
        // draft-14 §"Control Messages" {#message}: every control message is Type (i), Message Length (16), Payload.
        // The PUBLISH, PUBLISH_OK and PUBLISH_ERROR figures say Length (i); the oracle follows the figures, we follow
        // the framing section (package-info of moq.relay.wire.d14).
        DISAGREEMENTS.put("PUBLISH_OK defaults (forward 1, priority 128, ascending, NextGroupStart)", LENGTH_16_NOT_VARINT);
        DISAGREEMENTS.put("PUBLISH_OK AbsoluteRange, DELIVERY_TIMEOUT", LENGTH_16_NOT_VARINT);
        DISAGREEMENTS.put("PUBLISH_ERROR", LENGTH_16_NOT_VARINT);
        // ... and for PUBLISH, draft-14 §"PUBLISH" {#message-publish}: Content Exists 1 is followed by Largest
        // Location, which the oracle reads and drops.
        DISAGREEMENTS.put("PUBLISH content exists", e ->
        {
            assertDraft14PublishFraming(e);
            final Publish ours = (Publish)decode14(reframedWith16BitLength(e.bytes()));
            assertThat(ours.largestLocation()).isEqualTo(new Location(100, 7));
            assertThat(e.value().get("parameters").has("9")).as("oracle drops Largest Location").isFalse();
        });
        DISAGREEMENTS.put("PUBLISH no content, DELIVERY_TIMEOUT", e ->
        {
            assertDraft14PublishFraming(e);
            final Publish ours = (Publish)decode14(reframedWith16BitLength(e.bytes()));
            assertThat(ours.largestLocation()).isNull();
        });
    }

    static Stream<CorpusEntry> controlEntries()
    {
        if (Oracle.skipped())
        {
            return Stream.of((CorpusEntry)null); // the test then skips itself
        }
        return Stream.concat(Oracle.corpus(18, Oracle.CONTROL).stream(), Oracle.corpus(14, Oracle.CONTROL).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controlEntries")
    void ourCodecDecodesAndReencodesTheOracleEntryOrFollowsTheDraftWhereTheOracleDoesNot(final CorpusEntry e)
    {
        Oracle.assumeAvailable();
        assertThat(e.kind()).isEqualTo(Oracle.CONTROL);
        if (e.hasKnownIssue())
        {
            assertThat(DISAGREEMENTS).as("documented disagreement for the flagged entry %s (%s)", e, e.knownIssue())
                .containsKey(e.name());
            assertThat(e.draft()).isEqualTo(14);
            DISAGREEMENTS.get(e.name()).accept(e);
            return;
        }
        assertThat(DISAGREEMENTS).as("%s is not flagged, so it must agree", e).doesNotContainKey(e.name());
        final ControlMessage ours = assertAgreesOnValue(e);
        if (e.reencodeIdentical() || e.reencodedHex() == null)
        {
            // Oracle-encoded bytes, or hand-built bytes of a message the oracle can only decode.
            assertReencodesIdentically(e, ours);
        }
        else
        {
            // Non-minimal input (the only such unflagged entries): both encoders normalise it the same way.
            assertThat(e.origin()).isEqualTo("handbuilt");
            assertThat(OracleModel.encode(codec(e.draft()), ours).hex()).as("our re-encoding of %s", e)
                .isEqualTo(e.reencodedHex());
        }
    }

    @Test
    void corpusHasControlEntriesForEveryMessageTypeOfBothDrafts()
    {
        Oracle.assumeAvailable();
        final Set<Long> d14 = wireTypes(14);
        final Set<Long> all14 = Arrays.stream(MessageType.values()).map(MessageType::code)
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(d14).isEqualTo(all14);

        // Every draft-18 type of our codec but the legacy 0x1E PUBLISH_OK, which the oracle does not speak
        // (README section 4, item 10) and we never send.
        assertThat(wireTypes(18)).containsExactlyInAnyOrder(
            moq.relay.wire.d18.MessageType.SETUP, moq.relay.wire.d18.MessageType.GOAWAY,
            moq.relay.wire.d18.MessageType.SUBSCRIBE, moq.relay.wire.d18.MessageType.SUBSCRIBE_OK,
            moq.relay.wire.d18.MessageType.PUBLISH, moq.relay.wire.d18.MessageType.PUBLISH_DONE,
            moq.relay.wire.d18.MessageType.FETCH, moq.relay.wire.d18.MessageType.FETCH_OK,
            moq.relay.wire.d18.MessageType.TRACK_STATUS, moq.relay.wire.d18.MessageType.PUBLISH_NAMESPACE,
            moq.relay.wire.d18.MessageType.SUBSCRIBE_NAMESPACE, moq.relay.wire.d18.MessageType.SUBSCRIBE_TRACKS,
            moq.relay.wire.d18.MessageType.NAMESPACE, moq.relay.wire.d18.MessageType.NAMESPACE_DONE,
            moq.relay.wire.d18.MessageType.PUBLISH_BLOCKED, moq.relay.wire.d18.MessageType.REQUEST_UPDATE,
            moq.relay.wire.d18.MessageType.REQUEST_OK, moq.relay.wire.d18.MessageType.REQUEST_ERROR);
        assertThat(Oracle.corpus(18, Oracle.CONTROL)).hasSizeGreaterThanOrEqualTo(90);
        assertThat(Oracle.corpus(14, Oracle.CONTROL)).hasSizeGreaterThanOrEqualTo(69);
    }

    @Test
    void everyDocumentedDisagreementStillMatchesAFlaggedCorpusEntry()
    {
        Oracle.assumeAvailable();
        final Set<String> flagged = Oracle.corpus(14, Oracle.CONTROL).stream()
            .filter(CorpusEntry::hasKnownIssue)
            .map(CorpusEntry::name)
            .collect(Collectors.toSet());
        assertThat(flagged).containsExactlyInAnyOrderElementsOf(DISAGREEMENTS.keySet());
        assertThat(Oracle.corpus(18, Oracle.CONTROL)).noneMatch(CorpusEntry::hasKnownIssue);
    }

    // -------------------------------------------------------------------------------------------------------------

    /** Decodes the entry with our codec; asserts wire type and the oracle's value in our model; returns our record. */
    static ControlMessage assertAgreesOnValue(final CorpusEntry e)
    {
        final ControlMessage ours;
        try
        {
            ours = OracleModel.decode(codec(e.draft()), e.bytes());
        }
        catch (final WireException ex)
        {
            throw new AssertionError("our codec rejects the oracle's " + e + ": " + ex, ex);
        }
        assertThat(ours.type()).as("wire type of %s", e).isEqualTo(e.wireType().longValue());
        assertSameValue(e.draft(), ours, e.value(), e.toString());
        return ours;
    }

    /** Our record, mapped into the oracle's model, equals the oracle's value, compared field by field. */
    static void assertSameValue(final int draft, final ControlMessage ours, final JsonNode oracle, final String what)
    {
        final JsonNode expected = draft == 18 ? OracleModel.of((Draft18Message)ours) : OracleModel.of((Draft14Message)ours);
        final Set<String> fields = new TreeSet<>();
        expected.fieldNames().forEachRemaining(fields::add);
        oracle.fieldNames().forEachRemaining(fields::add);
        for (final String field : fields)
        {
            assertThat(oracle.get(field)).as("%s: field %s (ours %s)", what, field, ours).isEqualTo(expected.get(field));
        }
        assertThat(oracle).isEqualTo(expected);
    }

    private static void assertReencodesIdentically(final CorpusEntry e, final ControlMessage ours)
    {
        assertThat(OracleModel.encode(codec(e.draft()), ours).hex()).as("our re-encoding of %s", e).isEqualTo(e.hex());
    }

    /**
     * draft-14 §"Control Messages" {#message}: Message Length (16). Our decoder rejects the oracle's Length (i)
     * frame; the very same payload in a 16-bit-length frame decodes to the oracle's value and re-encodes to that
     * frame, so the framing is the only difference.
     */
    private static void assertDraft14PublishFraming(final CorpusEntry e)
    {
        assertRejected(e.bytes(), SessionError.PROTOCOL_VIOLATION);
        final Bytes draftFrame = reframedWith16BitLength(e.bytes());
        final ControlMessage ours = decode14(draftFrame);
        assertThat(ours.type()).isEqualTo(e.wireType().longValue());
        assertSameValue(14, ours, e.value(), e + " (16-bit length frame)");
        assertThat(OracleModel.encode(D14, ours)).isEqualTo(draftFrame);
    }

    /**
     * draft-14 §"TRACK_STATUS" {#message-track-status}: the layout is SUBSCRIBE's (Subscriber Priority, Group Order,
     * Forward, Filter Type, ... after the Track Name). The oracle's bytes end after Track Name and Parameters, so
     * they are not a draft-14 TRACK_STATUS: our decoder rejects them as a PROTOCOL_VIOLATION (truncated, or an
     * invalid inline field).
     */
    private static void assertDraft14TrackStatusLayout(final CorpusEntry e)
    {
        assertThat(e.wireType()).isEqualTo((int)MessageType.TRACK_STATUS.code());
        assertRejected(e.bytes(), SessionError.PROTOCOL_VIOLATION);
        assertThat(e.value().get("parameters").has(Long.toString(OracleModel.D14_SUBSCRIPTION_FILTER)))
            .as("oracle reads no inline filter").isFalse();
    }

    private static void assertRejected(final Bytes frame, final SessionError error)
    {
        assertThatThrownBy(() -> OracleModel.decode(D14, frame))
            .isInstanceOf(WireException.class)
            .satisfies(t -> assertThat(((WireException)t).error()).isEqualTo(error));
    }

    /** A draft-14 frame {@code Type (i), Length (i), Payload} rewritten as {@code Type (i), Length (16), Payload}. */
    static Bytes reframedWith16BitLength(final Bytes varintFramed)
    {
        final UnsafeBuffer b = new UnsafeBuffer(varintFramed.array());
        final int typeSize = QuicVarint.INSTANCE.sizeAt(b, 0);
        final long type = QuicVarint.INSTANCE.valueAt(b, 0);
        final int lengthSize = QuicVarint.INSTANCE.sizeAt(b, typeSize);
        final long length = QuicVarint.INSTANCE.valueAt(b, typeSize);
        assertThat(typeSize + lengthSize + length).as("Length (i) frame fills %s", varintFramed.hex())
            .isEqualTo(varintFramed.length());
        final WireWriter w = new WireWriter(QuicVarint.INSTANCE);
        w.varint(type).uint16((int)length);
        w.bytes(Bytes.wrap(Arrays.copyOfRange(varintFramed.array(), typeSize + lengthSize, varintFramed.length())));
        return Bytes.wrap(w.toByteArray(0));
    }

    static ControlMessage decode14(final Bytes frame)
    {
        try
        {
            return OracleModel.decode(D14, frame);
        }
        catch (final WireException ex)
        {
            throw new AssertionError("our draft-14 codec rejects " + frame.hex() + ": " + ex, ex);
        }
    }

    private static ControlCodec codec(final int draft)
    {
        return draft == 18 ? D18 : D14;
    }

    private static Set<Long> wireTypes(final int draft)
    {
        return Oracle.corpus(draft, Oracle.CONTROL).stream()
            .map(e -> e.wireType().longValue())
            .collect(Collectors.toCollection(TreeSet::new));
    }
}
