package moq.relay.session;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link RelayExtension} for the moq-lite tests: a {@link LiteRelayFixture} whose relay is started before each test,
 * and whose peers and relay are closed after it. Declared as
 * <pre>
 * &#64;RegisterExtension
 * static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();
 * </pre>
 */
final class LiteRelayExtension extends LiteRelayFixture
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback
{
    private final RelayExtension relayExtension;

    private LiteRelayExtension(final RelayExtension relayExtension)
    {
        super(relayExtension.certDir(), relayExtension);
        this.relayExtension = relayExtension;
    }

    /** A relay with {@link RelayFixture}'s configuration. */
    static LiteRelayExtension withDefaults()
    {
        return withSettings(Map.of());
    }

    /** A relay whose configuration adds {@code settings} to {@link RelayFixture}'s. */
    static LiteRelayExtension withSettings(final Map<String, String> settings)
    {
        return new LiteRelayExtension(RelayExtension.withSettings(settings));
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException
    {
        relayExtension.beforeAll(context);
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        relayExtension.beforeEach(context);
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        closePeers();
        relayExtension.afterEach(context);
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException
    {
        relayExtension.afterAll(context);
    }
}
