package moq.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.MaxRequestId;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectDatagramEncoder;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code decode} prints every 64-bit wire field unsigned, in every kind and on both drafts: vectors carry 2^64-1 and
 * 2^63 (draft-18) or 2^62-1 (draft-14's largest varint) in each 64-bit field, and the output must show exactly that
 * number and no negative number anywhere.
 */
class DecodeUnsignedTest
{
    /** Sub-type 0x15: explicit Subgroup ID, properties on every object, priority present (both drafts). */
    private static final int SUBGROUP_TYPE = 0x15;
    /** An even (varint-valued) property type no draft defines, so any value is allowed. */
    private static final long PROPERTY_TYPE = 0x3E;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream savedOut;

    @BeforeEach
    void captureStdout()
    {
        savedOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout()
    {
        System.setOut(savedOut);
    }

    static Stream<Arguments> values()
    {
        return Stream.of(
            Arguments.of(Draft.DRAFT_18, -1L),
            Arguments.of(Draft.DRAFT_18, 1L << 63),
            Arguments.of(Draft.DRAFT_14, QuicVarint.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("values")
    void subgroupStreamFields(final Draft draft, final long v) throws Exception
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        int n = encoder.writeHeader(draft, buffer, 0, SUBGROUP_TYPE, v, v, v, 7);
        final UnsafeBuffer properties = property(draft, v);
        n += encoder.writeObject(buffer, n, v, ObjectStatus.NORMAL, properties, 0, properties.capacity(), 1);
        buffer.putByte(n++, (byte)'x');

        final JsonNode out = decode(draft, "subgroup", buffer, n);
        final String u = Long.toUnsignedString(v);
        assertThat(out.at("/header/trackAlias").asText()).isEqualTo(u);
        assertThat(out.at("/header/groupId").asText()).isEqualTo(u);
        assertThat(out.at("/header/subgroupId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/groupId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/subgroupId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/objectId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/properties/0/value").asText()).isEqualTo(u);
        assertNoNegativeNumber(out);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("values")
    void fetchStreamFields(final Draft draft, final long v) throws Exception
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
        int n = encoder.writeHeader(draft, buffer, 0, v, false);
        final UnsafeBuffer properties = property(draft, v);
        n += encoder.writeObject(buffer, n, v, v, false, v, 7, ObjectStatus.NORMAL, properties, 0, properties.capacity(), 1);
        buffer.putByte(n++, (byte)'x');
        if (draft == Draft.DRAFT_18)
        {
            n += encoder.writeEndOfRange(buffer, n, v, v, true);
        }

        final JsonNode out = decode(draft, "fetch", buffer, n);
        final String u = Long.toUnsignedString(v);
        assertThat(out.at("/header/requestId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/groupId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/subgroupId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/objectId").asText()).isEqualTo(u);
        assertThat(out.at("/objects/0/properties/0/value").asText()).isEqualTo(u);
        if (draft == Draft.DRAFT_18)
        {
            assertThat(out.at("/objects/1/endOfRange").asText()).isEqualTo("unknown");
            assertThat(out.at("/objects/1/groupId").asText()).isEqualTo(u);
            assertThat(out.at("/objects/1/objectId").asText()).isEqualTo(u);
        }
        assertNoNegativeNumber(out);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("values")
    void datagramFields(final Draft draft, final long v) throws Exception
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final UnsafeBuffer properties = property(draft, v);
        final UnsafeBuffer payload = new UnsafeBuffer("x".getBytes(StandardCharsets.US_ASCII));
        final int n = ObjectDatagramEncoder.write(draft, buffer, 0, v, v, v, 7, false, properties, 0, properties.capacity(),
            payload, 0, 1);

        final JsonNode out = decode(draft, "datagram", buffer, n);
        final String u = Long.toUnsignedString(v);
        assertThat(out.get("trackAlias").asText()).isEqualTo(u);
        assertThat(out.get("groupId").asText()).isEqualTo(u);
        assertThat(out.get("objectId").asText()).isEqualTo(u);
        assertThat(out.at("/properties/0/value").asText()).isEqualTo(u);
        assertNoNegativeNumber(out);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("values")
    void controlFields(final Draft draft, final long v) throws Exception
    {
        final List<ControlMessage> messages = new ArrayList<>();
        if (draft == Draft.DRAFT_18)
        {
            messages.add(new SubscribeOk(v, MessageParameters.of(new Parameter.LargestObject(new Location(v, v))),
                Properties.EMPTY));
            messages.add(new PublishDone(v, v, Bytes.utf8("x")));
        }
        else
        {
            messages.add(new MaxRequestId(v));
            messages.add(new moq.relay.wire.d14.PublishDone(v, v, v, Bytes.utf8("x")));
        }
        final WireWriter writer = new WireWriter(draft.varint());
        for (final ControlMessage m : messages)
        {
            DecodeCommand.controlCodec(draft).encode(m, writer);
        }

        final JsonNode out = decode(draft, "control", writer.buffer(), writer.position());
        final String u = Long.toUnsignedString(v);
        if (draft == Draft.DRAFT_18)
        {
            assertThat(out.at("/messages/0/fields/trackAlias").asText()).isEqualTo(u);
            assertThat(out.at("/messages/1/fields/statusCode").asText()).isEqualTo(u);
            assertThat(out.at("/messages/1/fields/streamCount").asText()).isEqualTo(u);
            assertThat(out.at("/messages/0").toString()).contains("\"group\":" + u).contains("\"object\":" + u);
        }
        else
        {
            assertThat(out.at("/messages/0/fields/requestId").asText()).isEqualTo(u);
            assertThat(out.at("/messages/1/fields/streamCount").asText()).isEqualTo(u);
        }
        assertNoNegativeNumber(out);
    }

    /** A properties block of one varint-valued property holding {@code v}. */
    private static UnsafeBuffer property(final Draft draft, final long v)
    {
        final UnsafeBuffer block = new UnsafeBuffer(new byte[18]);
        int n;
        if (draft == Draft.DRAFT_18)
        {
            n = MoqtVarint.write(block, 0, PROPERTY_TYPE);
            n += MoqtVarint.write(block, n, v);
        }
        else
        {
            n = QuicVarint.write(block, 0, PROPERTY_TYPE);
            n += QuicVarint.write(block, n, v);
        }
        return new UnsafeBuffer(block, 0, n);
    }

    private JsonNode decode(final Draft draft, final String kind, final org.agrona.DirectBuffer bytes, final int length)
        throws Exception
    {
        final byte[] raw = new byte[length];
        bytes.getBytes(0, raw);
        final String hex = Bytes.wrap(raw).hex();
        stdout.reset();
        assertThat(Main.run("decode", "--draft", Integer.toString(draft.number()), "--kind", kind, hex))
            .as("decode --kind %s %s: %s", kind, hex, stdout)
            .isZero();
        return Json.mapper().readTree(stdout.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoNegativeNumber(final JsonNode node)
    {
        if (node.isNumber())
        {
            assertThat(node.bigIntegerValue().signum()).as("number %s", node).isNotNegative();
        }
        node.elements().forEachRemaining(DecodeUnsignedTest::assertNoNegativeNumber);
    }
}
