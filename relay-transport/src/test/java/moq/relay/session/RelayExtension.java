package moq.relay.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle of a {@link RelayFixture} as a JUnit 5 extension: a relay started before each test and closed after it
 * (with every client it connected), its certificate in a temporary directory the extension owns, made before the
 * class's first test and deleted after its last. A test class declares, instead of a {@code @TempDir} and
 * {@code @BeforeEach}/{@code @AfterEach} methods,
 * <pre>
 * &#64;RegisterExtension
 * static final RelayExtension relay = RelayExtension.withSettings(Map.of(RelayConfiguration.SOME_PROP_NAME, "1"));
 * </pre>
 * and uses {@code relay} as the fixture. The field is static so that the directory lives as long as the class (and
 * its certificate is made once, as with a static {@code @TempDir}). The relay is up before the class's own
 * {@code @BeforeEach} methods run and still up while its {@code @AfterEach} methods run.
 */
final class RelayExtension extends RelayFixture
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback
{
    private final Map<String, String> settings;
    private final Path certDir;
    private boolean classLevel;
    private boolean running;

    private RelayExtension(final Map<String, String> settings)
    {
        this.settings = Map.copyOf(settings);
        // Named now (a class may keep it in a static field), made in beforeAll: a disabled class leaves nothing behind.
        this.certDir = Path.of(System.getProperty("java.io.tmpdir"), "moq-relay-test-certs-" + UUID.randomUUID());
    }

    /** A relay with the fixture's configuration. */
    static RelayExtension withDefaults()
    {
        return new RelayExtension(Map.of());
    }

    /** A relay whose configuration adds {@code settings} ({@code moq.relay.*} properties) to the fixture's. */
    static RelayExtension withSettings(final Map<String, String> settings)
    {
        return new RelayExtension(settings);
    }

    /** The directory holding the relay's certificate (for test peers that trust it); lives as long as the class. */
    Path certDir()
    {
        return certDir;
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException
    {
        Files.createDirectory(certDir);
        classLevel = true;
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        if (!classLevel)
        {
            throw new IllegalStateException("register RelayExtension on a static field: its certificate directory " +
                "is deleted after the class's tests");
        }
        start(certDir, settings);
        running = true;
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        if (running)
        {
            running = false;
            close();
        }
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException
    {
        try (Stream<Path> files = Files.walk(certDir))
        {
            for (final Path p : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(p);
            }
        }
    }
}
