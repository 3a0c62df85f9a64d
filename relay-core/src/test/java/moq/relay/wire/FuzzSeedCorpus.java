package moq.relay.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a fuzz test's seed corpus where Jazzer reads it in both modes: {@code src/test/resources/<package>/
 * <TestClass>Inputs/<method>/}, one small file per seed. Run by each fuzz test's {@code writeSeedCorpus} test when
 * {@code -Dfuzz.writeSeeds=true} is given (docs/fuzzing.md); the files are committed.
 */
public final class FuzzSeedCorpus
{
    private FuzzSeedCorpus()
    {
    }

    public static void write(final Class<?> fuzzTest, final String method, final Map<String, byte[]> seeds)
    {
        final Path dir = Path.of("src", "test", "resources")
            .resolve(fuzzTest.getPackageName().replace('.', '/'))
            .resolve(fuzzTest.getSimpleName() + "Inputs")
            .resolve(method);
        try
        {
            Files.createDirectories(dir);
            for (final Map.Entry<String, byte[]> seed : seeds.entrySet())
            {
                Files.write(dir.resolve("seed-" + seed.getKey().replaceAll("[^A-Za-z0-9_.-]+", "_")), seed.getValue());
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
