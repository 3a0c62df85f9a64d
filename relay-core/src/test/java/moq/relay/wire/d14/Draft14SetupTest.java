package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static moq.relay.wire.SessionError.PROTOCOL_VIOLATION;
import static moq.relay.wire.d14.D14Frames.CODEC;
import static moq.relay.wire.d14.D14Frames.assertRejected;
import static moq.relay.wire.d14.D14Frames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CLIENT_SETUP / SERVER_SETUP parameters, their receiving rules and version negotiation. */
class Draft14SetupTest
{
    private static final long V14 = VersionNegotiation.DRAFT_14_VERSION;

    private static byte[] clientSetup(final KeyValuePair... pairs)
    {
        final D14Frames.Payload p = payload().varint(1).varint(V14).varint(pairs.length);
        for (final KeyValuePair pair : pairs)
        {
            p.varint(pair.type());
            if (pair.isBytes())
            {
                p.lengthPrefixed(pair.bytesValue());
            }
            else
            {
                p.varint(pair.intValue());
            }
        }
        return p.frame(MessageType.CLIENT_SETUP.code());
    }

    private static byte[] serverSetup(final KeyValuePair pair)
    {
        return payload().varint(V14).varint(1).varint(pair.type()).lengthPrefixed(pair.bytesValue())
            .frame(MessageType.SERVER_SETUP.code());
    }

    private static KeyValuePair path(final String value)
    {
        return KeyValuePair.ofBytes(SetupParameters.PATH, Bytes.utf8(value));
    }

    private static KeyValuePair authority(final String value)
    {
        return KeyValuePair.ofBytes(SetupParameters.AUTHORITY, Bytes.utf8(value));
    }

    @Test
    void typedAccessorsReadTheParametersAndApplyTheDraftDefaults() throws Exception
    {
        final ClientSetup none = (ClientSetup)CODEC.decode(clientSetup());
        final ClientSetup all = (ClientSetup)CODEC.decode(clientSetup(
            path("/moq?x=1"), authority("relay.example.com:443"),
            KeyValuePair.ofVarint(SetupParameters.MAX_REQUEST_ID, 42),
            KeyValuePair.ofVarint(SetupParameters.MAX_AUTH_TOKEN_CACHE_SIZE, 1000),
            KeyValuePair.ofBytes(SetupParameters.MOQT_IMPLEMENTATION, Bytes.utf8("impl/1")),
            KeyValuePair.ofBytes(SetupParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useValue(0, Bytes.utf8("a")).encode()),
            KeyValuePair.ofBytes(SetupParameters.AUTHORIZATION_TOKEN, AuthorizationToken.register(1, 2, Bytes.utf8("b")).encode())));

        assertThat(none.parameters().maxRequestId()).as("default: no requests allowed").isZero();
        assertThat(none.parameters().maxAuthTokenCacheSize()).as("default: no aliases").isZero();
        assertThat(none.parameters().path()).isEmpty();
        assertThat(none.parameters().authority()).isEmpty();
        assertThat(none.parameters().implementation()).isEmpty();
        assertThat(none.parameters().authorizationTokens()).isEmpty();

        assertThat(all.parameters().path()).contains(Bytes.utf8("/moq?x=1"));
        assertThat(all.parameters().authority()).contains(Bytes.utf8("relay.example.com:443"));
        assertThat(all.parameters().maxRequestId()).isEqualTo(42);
        assertThat(all.parameters().maxAuthTokenCacheSize()).isEqualTo(1000);
        assertThat(all.parameters().implementation()).contains(Bytes.utf8("impl/1"));
        assertThat(all.parameters().authorizationTokens()).containsExactly(
            AuthorizationToken.useValue(0, Bytes.utf8("a")), AuthorizationToken.register(1, 2, Bytes.utf8("b")));
    }

    @Test
    void parameter5IsAuthorityEvenThoughTheTextAlsoGivesItToMoqtImplementation() throws Exception
    {
        final ClientSetup s = (ClientSetup)CODEC.decode(clientSetup(authority("host")));

        assertThat(s.parameters().authority()).contains(Bytes.utf8("host"));
        assertThat(s.parameters().implementation()).isEmpty();
        assertRejected(clientSetup(authority("not an authority")), SessionError.MALFORMED_AUTHORITY);
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(longs = {SetupParameters.PATH, SetupParameters.MAX_REQUEST_ID, SetupParameters.MAX_AUTH_TOKEN_CACHE_SIZE,
        SetupParameters.AUTHORITY, SetupParameters.MOQT_IMPLEMENTATION})
    void repeatedSetupParameterIsAProtocolViolation(final long type)
    {
        final KeyValuePair pair = KeyValuePair.isBytesType(type) ?
            KeyValuePair.ofBytes(type, Bytes.utf8(type == SetupParameters.PATH ? "/" : "h")) : KeyValuePair.ofVarint(type, 1);

        assertRejected(clientSetup(pair, pair), PROTOCOL_VIOLATION);
    }

    @Test
    void repeatedUnknownSetupParametersAndTokensAreAllowed() throws Exception
    {
        final KeyValuePair unknown = KeyValuePair.ofVarint(0x40, 1);
        final KeyValuePair token = KeyValuePair.ofBytes(SetupParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useAlias(1).encode());

        final ClientSetup s = (ClientSetup)CODEC.decode(clientSetup(unknown, token, unknown, token));

        assertThat(s.parameters().pairs()).containsExactly(unknown, token, unknown, token);
    }

    @Test
    void pathFromAServerIsInvalidPath()
    {
        assertRejected(serverSetup(path("/moq")), SessionError.INVALID_PATH);
    }

    @Test
    void authorityFromAServerIsInvalidAuthority()
    {
        assertRejected(serverSetup(authority("relay.example.com")), SessionError.INVALID_AUTHORITY);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "/", "/moq", "/a/b/c", "//x", "/moq?room=1&x=%20", "?q", "/a:b@c", "/~user/x.y_z-1",
        "/p?a/b?c"})
    void wellFormedPathIsAccepted(final String value) throws Exception
    {
        final ClientSetup s = (ClientSetup)CODEC.decode(clientSetup(path(value)));

        assertThat(s.parameters().path()).contains(Bytes.utf8(value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"moq", "/a b", "/a#frag", "/%zz", "/%2", "/a\"b", "http://x/y", "/é"})
    void pathBreakingRfc3986IsMalformedPath(final String value)
    {
        assertRejected(clientSetup(path(value)), SessionError.MALFORMED_PATH);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"relay.example.com", "relay.example.com:4443", "user:pw@host:1", "127.0.0.1:443", "[::1]:443",
        "[2001:db8::7]", "host:", "xn--nxasmq6b.example", "a%41b"})
    void wellFormedAuthorityIsAccepted(final String value) throws Exception
    {
        final ClientSetup s = (ClientSetup)CODEC.decode(clientSetup(authority(value)));

        assertThat(s.parameters().authority()).contains(Bytes.utf8(value));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", ":443", "user@", "host:port", "host:1:2", "ho st", "[::1", "[]", "host/path", "h@s@t",
        "[::1]x"})
    void authorityBreakingRfc3986OrWithEmptyHostIsMalformedAuthority(final String value)
    {
        assertRejected(clientSetup(authority(value)), SessionError.MALFORMED_AUTHORITY);
    }

    @Test
    void locallyBuiltServerSetupWithPathIsRefused()
    {
        final SetupParameters withPath = SetupParameters.builder().path("/").build();

        assertThatThrownBy(() -> new ServerSetup(V14, withPath)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locallyBuiltRepeatedSetupParameterIsRefused()
    {
        assertThatThrownBy(() -> SetupParameters.builder().maxRequestId(1).maxRequestId(2).build())
            .isInstanceOf(IllegalArgumentException.class);
    }

    // --- version negotiation (§"Versions")

    @Test
    void serverSelectsDraft14WhenOffered() throws Exception
    {
        final ClientSetup offer = new ClientSetup(List.of(0xff00000DL, V14, 0xff00000FL), SetupParameters.EMPTY);

        assertThat(VersionNegotiation.select(offer)).isEqualTo(0xff00000EL);
    }

    @Test
    void serverFailsNegotiationWhenDraft14IsNotOffered()
    {
        final ClientSetup offer = new ClientSetup(List.of(0xff00000DL, 0xff000012L), SetupParameters.EMPTY);
        final ClientSetup empty = new ClientSetup(List.of(), SetupParameters.EMPTY);

        assertThatThrownBy(() -> VersionNegotiation.select(offer)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.VERSION_NEGOTIATION_FAILED));
        assertThatThrownBy(() -> VersionNegotiation.select(empty)).isInstanceOfSatisfying(WireException.class,
            e -> assertThat(e.error()).isEqualTo(SessionError.VERSION_NEGOTIATION_FAILED));
    }

    @Test
    void clientAcceptsOnlyAVersionItOffered() throws Exception
    {
        final ClientSetup offer = new ClientSetup(List.of(V14), SetupParameters.EMPTY);

        VersionNegotiation.checkSelected(offer, new ServerSetup(V14, SetupParameters.EMPTY));
        assertThatThrownBy(() -> VersionNegotiation.checkSelected(offer, new ServerSetup(0xff00000DL, SetupParameters.EMPTY)))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.VERSION_NEGOTIATION_FAILED));
        assertThatThrownBy(() -> VersionNegotiation.checkSelected(new ClientSetup(List.of(0xff00000DL), SetupParameters.EMPTY),
            new ServerSetup(V14, SetupParameters.EMPTY)))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.VERSION_NEGOTIATION_FAILED));
    }

    @Test
    void versionsBeyond32BitsDecodeButAreNeverSelected() throws Exception
    {
        final ClientSetup s = (ClientSetup)CODEC.decode(payload().varint(1).varint(0x1_0000_000EL).varint(0)
            .frame(MessageType.CLIENT_SETUP.code()));

        assertThat(s.supportedVersions()).containsExactly(0x1_0000_000EL);
        assertThatThrownBy(() -> VersionNegotiation.select(s)).isInstanceOf(WireException.class);
    }

    @Test
    void negotiationErrorNamesOnlyAFewOfManyOfferedVersions()
    {
        final Long[] many = new Long[5000];
        Arrays.fill(many, 1L);
        final ClientSetup offer = new ClientSetup(List.of(many), SetupParameters.EMPTY);

        assertThatThrownBy(() -> VersionNegotiation.select(offer)).hasMessageContaining("5000 in all")
            .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }
}
