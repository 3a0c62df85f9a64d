package moq.relay.bench.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code results.json} (an array of {@link RunResult}) and {@code results.csv} in a scenario's directory. */
final class ResultsFiles
{
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFiles()
    {
    }

    static void write(final Path dir, final List<RunResult> results) throws IOException
    {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("results.json").toFile(), results);
        final List<String> csv = new ArrayList<>();
        csv.add(RunResult.csvHeader());
        results.forEach(r -> csv.add(r.csvRow()));
        Files.write(dir.resolve("results.csv"), csv);
    }

    static List<RunResult> read(final Path dir) throws IOException
    {
        return JSON.readValue(dir.resolve("results.json").toFile(), new TypeReference<List<RunResult>>()
        {
        });
    }
}
