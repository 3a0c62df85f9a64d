package moq.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code decode --protocol moq-lite-0N}, run in-process exactly as the jar's main runs it. */
class LiteDecodeCommandTest
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
        assertThat(Main.run(args)).as("exit code of %s", String.join(" ", args)).isEqualTo(expectedExit);
        return Json.mapper().readTree(stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void decodesALite03SubscribeStream() throws Exception
    {
        // moq-lite-03 §"SUBSCRIBE": stream type 2, id 7, "room/alice", "video", priority 2, ordered, 100 ms, latest,
        // unbounded; then a SUBSCRIBE_UPDATE.
        final JsonNode out = run(0, "decode", "--protocol", "moq-lite-03", "--kind", "subscribe",
            "0218070a726f6f6d2f616c69636505766964656f02014064000005040000", "0b15");
        assertThat(out.get("protocol").asText()).isEqualTo("moq-lite-03");
        assertThat(out.get("streamType").asText()).isEqualTo("0x2");
        final JsonNode subscribe = out.get("messages").get(0);
        assertThat(subscribe.get("message").asText()).isEqualTo("SUBSCRIBE");
        assertThat(subscribe.get("fields").get("broadcast").asText()).isEqualTo("room/alice");
        assertThat(subscribe.get("fields").get("track").asText()).isEqualTo("video");
        assertThat(subscribe.get("fields").get("maxLatencyMs").asLong()).isEqualTo(100);
        assertThat(out.get("messages").get(1).get("message").asText()).isEqualTo("SUBSCRIBE_UPDATE");
        assertThat(out.get("messages").get(1).get("fields").get("endGroup").asLong()).isEqualTo(21);
    }

    @Test
    void decodesAGroupStreamWithLite05Timestamps() throws Exception
    {
        final JsonNode out = run(0, "decode", "--protocol", "moq-lite-05", "--kind", "group", "0002070547d0036162630100");
        assertThat(out.get("group").get("subscribeId").asLong()).isEqualTo(7);
        assertThat(out.get("group").get("sequence").asLong()).isEqualTo(5);
        assertThat(out.get("frames").get(0).get("timestamp").asLong()).isEqualTo(1000);
        assertThat(out.get("frames").get(0).get("payload").asText()).isEqualTo("abc");
        assertThat(out.get("frames").get(1).get("timestamp").asLong()).isEqualTo(999);
        assertThat(out.get("frames").get(1).get("length").asLong()).isZero();
    }

    @Test
    void reportsAMalformedReplyWithItsCode() throws Exception
    {
        // §"Subscribe": a SUBSCRIBE_DROP (type 1) before SUBSCRIBE_OK.
        final JsonNode out = run(DecodeCommand.EXIT_MALFORMED, "decode", "--protocol", "moq-lite-03", "--kind",
            "subscribe-reply", "0103050600");
        assertThat(out.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
        assertThat(out.get("code").asLong()).isEqualTo(3);
    }

    @Test
    void refusesUnknownProtocolsAndKinds() throws Exception
    {
        assertThat(Main.run("decode", "--protocol", "moq-lite-09", "--kind", "group", "00")).isEqualTo(2);
        assertThat(Main.run("decode", "--protocol", "moq-lite-03", "--kind", "control", "00")).isEqualTo(2);
        assertThat(Main.run("decode", "--draft", "18", "--protocol", "moq-lite-03", "--kind", "group", "00")).isEqualTo(2);
        assertThat(Main.run("decode", "--draft", "18", "--kind", "group", "00")).isEqualTo(2);
    }
}
