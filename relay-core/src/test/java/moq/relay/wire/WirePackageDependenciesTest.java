package moq.relay.wire;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package layering of the request-stream drafts' wire code: what drafts 18 and 20 share is {@code wire.param}'s,
 * so the parameter layer depends on neither draft and draft 20 on nothing of draft 18 (adding a draft is a codec
 * package of its own, not a dependency on the previous one). Read from the sources, imports and qualified names both.
 */
class WirePackageDependenciesTest
{
    private static final Path WIRE = Path.of("src/main/java/moq/relay/wire");

    @Test
    void theParameterLayerUsesNeitherDraftsPackage() throws IOException
    {
        assertThat(uses("param", "moq.relay.wire.d18.")).isEmpty();
        assertThat(uses("param", "moq.relay.wire.d20.")).isEmpty();
    }

    @Test
    void draft20UsesNothingOfDraft18() throws IOException
    {
        assertThat(uses("d20", "moq.relay.wire.d18.")).isEmpty();
    }

    @Test
    void draft18UsesNothingOfDraft20() throws IOException
    {
        assertThat(uses("d18", "moq.relay.wire.d20.")).isEmpty();
    }

    /** The lines of {@code pkg}'s sources that name {@code prefix} (javadoc included: a link is a dependency too). */
    private static List<String> uses(final String pkg, final String prefix) throws IOException
    {
        final List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(WIRE.resolve(pkg)))
        {
            for (final Path f : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator)
            {
                for (final String line : Files.readAllLines(f))
                {
                    if (line.contains(prefix))
                    {
                        found.add(f.getFileName() + ": " + line.trim());
                    }
                }
            }
        }
        return found;
    }
}
