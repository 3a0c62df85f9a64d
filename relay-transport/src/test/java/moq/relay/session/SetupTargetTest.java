package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SetupOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SETUP's PATH and AUTHORITY against what the relay serves ({@code moq.relay.session.paths}, {@code .authorities}):
 * the rules of {@link SetupTarget}, and on the wire, a raw-QUIC client naming another path or authority is closed with
 * INVALID_PATH (0x8) / INVALID_AUTHORITY (0x19) while our client, which names them, works.
 */
class SetupTargetTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_PATHS_PROP_NAME, "/moq,/live",
        RelayConfiguration.SESSION_AUTHORITIES_PROP_NAME, "127.0.0.1,relay.example:4443"));
    private static final Path certDir = relay.certDir();

    private static Optional<Bytes> b(final String s)
    {
        return Optional.ofNullable(s).map(Bytes::utf8);
    }

    @Test
    void rules()
    {
        final SetupTarget any = new SetupTarget(List.of(), List.of());
        assertThatCode(() -> any.check(false, b("/anything?x=1"), b("Host.Example:1"))).doesNotThrowAnyException();
        assertThatCode(() -> any.check(false, Optional.empty(), Optional.empty())).doesNotThrowAnyException();

        final SetupTarget some = new SetupTarget(List.of("/moq", "/"), List.of("relay.example", "[::1]:4443"));
        assertThatCode(() -> some.check(false, b("/moq?token=abc"), b("RELAY.example:9"))).doesNotThrowAnyException();
        assertThatCode(() -> some.check(false, Optional.empty(), b("[::1]:4443"))).as("no PATH counts as /")
            .doesNotThrowAnyException();
        assertThat(error(() -> some.check(false, b("/moqx"), Optional.empty()))).isEqualTo(SessionError.INVALID_PATH);
        assertThat(error(() -> some.check(false, b("/moq"), b("[::1]:5")))).isEqualTo(SessionError.INVALID_AUTHORITY);
        assertThat(error(() -> some.check(false, b("/moq"), b("other.example")))).isEqualTo(
            SessionError.INVALID_AUTHORITY);
        // Over WebTransport the URL already chose both: naming them in SETUP is an error even where they'd match.
        assertThat(error(() -> any.check(true, b("/moq"), Optional.empty()))).isEqualTo(SessionError.INVALID_PATH);
        assertThat(error(() -> any.check(true, Optional.empty(), b("relay.example")))).isEqualTo(
            SessionError.INVALID_AUTHORITY);
        assertThatCode(() -> some.check(true, Optional.empty(), Optional.empty())).doesNotThrowAnyException();
    }

    private static SessionError error(final org.assertj.core.api.ThrowableAssert.ThrowingCallable call)
    {
        return catchThrowableOfType(call, WireException.class).error();
    }

    @Test
    void ourClientNamesAServedAuthorityAndPathOnBothDrafts() throws Exception
    {
        for (final Draft draft : List.of(Draft.DRAFT_18, Draft.DRAFT_14))
        {
            final MoqClient client = MoqClient.connect(ClientConfig.of("127.0.0.1", relay.server.localAddress()
                .getPort(), draft, ClientTrust.insecure()).withPath("/live")).get(10, TimeUnit.SECONDS);
            client.publishNamespace(RelayEndToEndTest.NS).get(5, TimeUnit.SECONDS);
            client.close();
        }
    }

    /** The fixture's relay serves /moq and /live, for 127.0.0.1 (any port) and relay.example:4443; no PATH means /. */
    @ParameterizedTest(name = "PATH {0}, AUTHORITY {1}: close code {2}")
    @CsvSource({"/other, 127.0.0.1:1, 0x8", "/moq, evil.example, 0x19", "/moq, relay.example:4444, 0x19", "'', 127.0.0.1:9, 0x8"})
    void aRawClientNamingSomethingElseIsClosed(final String path, final String authority, final String code)
        throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final List<KeyValuePair> options = new ArrayList<>();
            if (!path.isEmpty())
            {
                options.add(KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8(path)));
            }
            options.add(KeyValuePair.ofBytes(SetupOption.AUTHORITY, Bytes.utf8(authority)));
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(new Setup(options)));
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).isEqualTo(Long.decode(code));
        }
        // The relay carries on.
        try (MoqClient ok = MoqClient.connect(ClientConfig.of("127.0.0.1", relay.server.localAddress().getPort(),
            Draft.DRAFT_18, ClientTrust.insecure()).withPath("/moq")).get(10, TimeUnit.SECONDS))
        {
            ok.publishNamespace(RelayEndToEndTest.NS).get(5, TimeUnit.SECONDS);
        }
    }
}
