package moq.relay.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import moq.relay.config.RelayConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest
{
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr()
    {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore()
    {
        System.setErr(originalErr);
        System.clearProperty(RelayConfiguration.PORT_PROP_NAME);
        System.clearProperty(RelayConfiguration.TLS_CERT_FILE_PROP_NAME);
        System.clearProperty(RelayConfiguration.TLS_KEY_FILE_PROP_NAME);
        System.clearProperty(RelayConfiguration.QUIC_INITIAL_MAX_DATA_PROP_NAME);
        System.clearProperty(RelayConfiguration.DEV_PROP_NAME);
        System.clearProperty(RelayConfiguration.AUTH_ENABLED_PROP_NAME);
        System.clearProperty(RelayConfiguration.AUTH_KEYS_PROP_NAME);
        System.clearProperty(RelayConfiguration.LOG_LEVEL_PROP_NAME);
        System.clearProperty(RelayConfiguration.TRACK_IDLE_TIMEOUT_MS_OLD_NAME);
    }

    private String stderr()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nonNumericPortPropertyStopsStartupNamingTheProperty()
    {
        System.setProperty(RelayConfiguration.PORT_PROP_NAME, "abc");

        assertThat(Main.run("serve")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("cannot start").contains("-Dmoq.relay.port=abc");
    }

    @Test
    void negativeFlowControlWindowStopsStartupNamingTheProperty()
    {
        System.setProperty(RelayConfiguration.QUIC_INITIAL_MAX_DATA_PROP_NAME, "-5");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("-Dmoq.relay.quic.initial.max.data=-5");
    }

    @Test
    void missingCertificateGivenOnTheCommandLineStopsStartupNamingPropertyAndPath(@TempDir final Path dir)
    {
        final Path cert = dir.resolve("missing-cert.pem");
        final Path key = dir.resolve("missing-key.pem");

        assertThat(Main.run("serve", "--port", "0", "--cert", cert.toString(), "--key", key.toString()))
            .isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("-Dmoq.relay.tls.cert.file=" + cert).contains("does not exist");
    }

    @Test
    void authorizationOnWithoutKeysOrPublicPrefixesStopsStartup()
    {
        System.setProperty(RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("cannot start").contains(RelayConfiguration.AUTH_ENABLED_PROP_NAME)
            .contains(RelayConfiguration.AUTH_KEYS_PROP_NAME);
    }

    @Test
    void anUnreadableAuthorizationKeyStopsStartupNamingTheSetting()
    {
        System.setProperty(RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true");
        System.setProperty(RelayConfiguration.AUTH_KEYS_PROP_NAME, "/nonexistent/key.jwk");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("cannot start").contains(RelayConfiguration.AUTH_KEYS_PROP_NAME)
            .contains("/nonexistent/key.jwk");
    }

    @Test
    void devModeValueThatIsNotABooleanStopsStartupNamingTheProperty()
    {
        System.setProperty(RelayConfiguration.DEV_PROP_NAME, "yes");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("-Dmoq.relay.dev=yes").contains("true or false");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a relay that starts never returns
    void misspeltLogLevelStopsStartupInsteadOfLoggingAtDebug()
    {
        System.setProperty(RelayConfiguration.LOG_LEVEL_PROP_NAME, "WARNING");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("-Dmoq.relay.log.level=WARNING").contains("TRACE, DEBUG, INFO, WARN, ERROR");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a relay that starts never returns
    void oldTrackIdleTimeoutWithASizeSuffixStopsStartupPointingAtTheNewName()
    {
        System.setProperty(RelayConfiguration.TRACK_IDLE_TIMEOUT_MS_OLD_NAME, "1k");

        assertThat(Main.run("serve", "--port", "0")).isEqualTo(ServeCommand.EXIT_CANNOT_START);
        assertThat(stderr()).contains("-Dmoq.relay.track.idle.timeout.ms=1k")
            .contains("moq.relay.track.idle.timeout=30s");
    }
}
