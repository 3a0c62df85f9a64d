package moq.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar relay-transport/target/moq-relay.jar decode ...} exactly as a user types it. */
class DecodeJarIT
{
    private static final Path JAR = Path.of("target", "moq-relay.jar");

    private record Run(int exit, String stdout)
    {
    }

    private static Run decode(final String... args) throws IOException, InterruptedException
    {
        assertThat(JAR).as("the fat jar is built before integration tests").exists();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.add("decode");
        command.addAll(List.of(args));
        final Path out = Files.createTempFile("decode", ".json");
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("decode finished").isTrue();
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void theJarDecodesAnEmptyDraft18SetupAndExitsZero() throws Exception
    {
        final Run run = decode("--draft", "18", "--kind", "control", "af000000");
        assertThat(run.exit()).isZero();
        final JsonNode json = Json.mapper().readTree(run.stdout());
        assertThat(json.get("messages").get(0).get("message").asText()).isEqualTo("SETUP");
        assertThat(json.get("messages").get(0).get("type").asText()).isEqualTo("0x2f00");
    }

    @Test
    void theJarPrintsTheErrorNameAndCodeAndExitsNonZero() throws Exception
    {
        // Draft-14 SUBSCRIBE_ERROR whose reason phrase claims 2 bytes but the message ends.
        final Run run = decode("--draft", "14", "--kind", "control", "050003" + "010002");
        assertThat(run.exit()).isEqualTo(DecodeCommand.EXIT_MALFORMED);
        final JsonNode json = Json.mapper().readTree(run.stdout());
        assertThat(json.get("error").asText()).isEqualTo("PROTOCOL_VIOLATION");
        assertThat(json.get("code").asInt()).isEqualTo(3);
    }
}
