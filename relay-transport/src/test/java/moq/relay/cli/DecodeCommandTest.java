package moq.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The decode subcommand, run in-process exactly as the jar's main runs it. */
class DecodeCommandTest
{
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

    private JsonNode run(final int expectedExit, final String... args) throws Exception
    {
        assertThat(Main.run(args)).as("exit code of decode %s", String.join(" ", args)).isEqualTo(expectedExit);
        return Json.mapper().readTree(stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void decodesDraft18SubscribeFromTheDraftLayout() throws Exception
    {
        // SUBSCRIBE 0x03, length 14: request 0, namespace ("live"), name "video", no parameters.
        final JsonNode out = run(0, "decode", "--draft", "18", "--kind", "control", "03000e0001046c69766505766964656f00");
        final JsonNode message = out.get("messages").get(0);
        assertThat(message.get("message").asText()).isEqualTo("SUBSCRIBE");
        assertThat(message.get("fields").get("requestId").asLong()).isZero();
        assertThat(message.get("fields").get("namespace").get("fields").get(0).asText()).isEqualTo("live");
        assertThat(message.get("fields").get("trackName").asText()).isEqualTo("video");
    }

    @Test
    void decodesSeveralDraft14MessagesInSequence() throws Exception
    {
        // MAX_REQUEST_ID (0x15) 10, then UNSUBSCRIBE (0x0A) request 4.
        final JsonNode out = run(0, "decode", "--draft", "14", "--kind", "control", "1500010a", "0a000104");
        assertThat(out.get("messages")).hasSize(2);
        assertThat(out.get("messages").get(0).get("message").asText()).isEqualTo("MAX_REQUEST_ID");
        assertThat(out.get("messages").get(1).get("message").asText()).isEqualTo("UNSUBSCRIBE");
        assertThat(out.get("messages").get(1).get("fields").get("requestId").asLong()).isEqualTo(4);
    }

    @Test
    void printsFullUnsigned64BitValues() throws Exception
    {
        // Draft-18 SUBSCRIBE with request ID 2^64-1 (9-byte varint): 9+1+1+1+1 = 13 payload bytes.
        final JsonNode out = run(0, "decode", "--draft", "18", "--kind", "control",
            "03000d" + "ffffffffffffffffff" + "00" + "01" + "61" + "00");
        assertThat(out.get("messages").get(0).get("fields").get("requestId").asText())
            .isEqualTo("18446744073709551615");
    }

    @Test
    void reportsTheErrorNameAndCodeForMalformedControlInput() throws Exception
    {
        // SUBSCRIBE whose length claims two bytes more than its fields use.
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "control",
            "030010" + "0001046c69766505766964656f00" + "0000");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
        assertThat(out.get("code").asInt()).isEqualTo(3);
    }

    @Test
    void reportsKeyValueFormattingErrorsWithTheirCode() throws Exception
    {
        // Draft-18 subgroup header 0x15 (properties on every object): object 0 with a properties block of
        // 3 bytes holding an odd-type pair whose length (5) runs past the block; then length 0, status 0.
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "subgroup",
            "15" + "01" + "05" + "00" + "80" + "00" + "03" + "01" + "05" + "61" + "00" + "00");
        assertThat(out.get("error").asText()).isEqualTo("KEY_VALUE_FORMATTING_ERROR");
        assertThat(out.get("code").asInt()).isEqualTo(6);
    }

    @Test
    void decodesADraft18SubgroupStreamWithPayloadAndEndOfGroupStatus() throws Exception
    {
        // Header 0x14: alias 1, group 5, explicit subgroup 0, priority 0x80. Object 0 "hello"; object 1 has
        // length 0 and status 0x3 (End of Group); then FIN.
        final JsonNode out = run(0, "decode", "--draft", "18", "--kind", "subgroup",
            "14" + "01" + "05" + "00" + "80" + "00" + "05" + "68656c6c6f" + "00" + "00" + "03");
        assertThat(out.get("header").get("groupId").asLong()).isEqualTo(5);
        assertThat(out.get("header").get("publisherPriority").asInt()).isEqualTo(128);
        final JsonNode objects = out.get("objects");
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).get("objectId").asLong()).isZero();
        assertThat(objects.get(0).get("payload").asText()).isEqualTo("hello");
        assertThat(objects.get(1).get("objectId").asLong()).isEqualTo(1);
        assertThat(objects.get(1).get("status").asLong()).isEqualTo(3);
        assertThat(out.get("fin").asBoolean()).isTrue();
    }

    @Test
    void rejectsAStreamThatEndsInsideAnObject() throws Exception
    {
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "subgroup",
            "14" + "01" + "05" + "00" + "80" + "00" + "05" + "6865");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void refusesAFetchStreamWhenASubgroupWasAskedFor() throws Exception
    {
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "subgroup", "0501");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void decodesADraft18ObjectDatagram() throws Exception
    {
        // Type 0x00: alias 1, group 5, object 2, priority 0x80, payload "hello" to the end.
        final JsonNode out = run(0, "decode", "--draft", "18", "--kind", "datagram", "0001050280" + "68656c6c6f");
        assertThat(out.get("trackAlias").asLong()).isEqualTo(1);
        assertThat(out.get("objectId").asLong()).isEqualTo(2);
        assertThat(out.get("payload").asText()).isEqualTo("hello");
    }

    @Test
    void rejectsAnInvalidDraft18DatagramType() throws Exception
    {
        // 0x2A = STATUS with END_OF_GROUP, which draft-18 forbids.
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "datagram",
            "2a01050280" + "00");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void decodesADraft20SubscribeWithALocationFilterAndAFill() throws Exception
    {
        // draft-21 §3.5: SUBSCRIBE joining the current group. LOCATION_FILTER (0x21) {0, 0} = Next Object;
        // FILL_PARAMETERS (0x23) holding one LOCATION_FILTER with StartGroup 1.
        final JsonNode out = run(0, "decode", "--draft", "20", "--kind", "control",
            "030015" + "00" + "01046c697665" + "026864" + "02" + "21020000" + "0204" + "01210101");
        final JsonNode message = out.get("messages").get(0);
        assertThat(out.get("draft").asInt()).isEqualTo(20);
        assertThat(message.get("message").asText()).isEqualTo("SUBSCRIBE");
        final JsonNode entries = message.at("/fields/parameters/entries");
        assertThat(entries.get(0).get("name").asText()).isEqualTo("LOCATION_FILTER");
        assertThat(entries.get(0).at("/filter/fieldCount").asInt()).isEqualTo(2);
        assertThat(entries.get(1).get("name").asText()).isEqualTo("FILL_PARAMETERS");
        assertThat(entries.get(1).at("/parameters/entries/0/filter/startGroup").asInt()).isEqualTo(1);
    }

    @Test
    void decodesADraft20PublishStateNotifyAndRejectsTheReservedPublishOk() throws Exception
    {
        // 0x22: LARGEST_OBJECT {5, 2}, FORWARD 0.
        final JsonNode out = run(0, "decode", "--draft", "20", "--kind", "control", "2200060209050207" + "00");
        assertThat(out.at("/messages/0/message").asText()).isEqualTo("PUBLISH_STATE_NOTIFY");
        // 0x1E is reserved in draft-20 (draft-18 read it as PUBLISH_OK).
        stdout.reset();
        final JsonNode error = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "20", "--kind", "control", "1e0000");
        assertThat(error.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void decodesADraft20FetchStreamWithAnEndOfTimedOutRange() throws Exception
    {
        // FETCH_HEADER request 1; object {3, 0} priority 0x80 "a"; End of Timed-Out Range (0x20C) through {3, 9}.
        final String stream = "0501" + "1c0300800161" + "820c0309";
        final JsonNode out = run(0, "decode", "--draft", "20", "--kind", "fetch", stream);
        assertThat(out.at("/objects/1/endOfRange").asText()).isEqualTo("timed-out");
        assertThat(out.at("/objects/1/objectId").asInt()).isEqualTo(9);
        // Draft-18 has no 0x20C.
        stdout.reset();
        assertThat(run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "18", "--kind", "fetch", stream)
            .get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void rejectsADraft20DatagramWithAnUnspecifiedTypeBit() throws Exception
    {
        // draft-21 §11.2.1: bit 4 (0x10) set.
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--draft", "20", "--kind", "datagram",
            "100105028068656c6c6f");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
    }

    @Test
    void rejectsAnUnsupportedDraftAsAUsageError() throws Exception
    {
        assertThat(Main.run("decode", "--draft", "99", "--kind", "control", "00")).isEqualTo(2);
    }
}
