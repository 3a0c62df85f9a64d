package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizationTokenTest
{
    @Test
    void everyAliasTypeRoundTrips() throws Exception
    {
        for (final AuthorizationToken t : new AuthorizationToken[] {
            AuthorizationToken.delete(D14Examples.MAX),
            AuthorizationToken.register(0, 0, Bytes.EMPTY),
            AuthorizationToken.register(7, 0x4000, Bytes.utf8("token")),
            AuthorizationToken.useAlias(7),
            AuthorizationToken.useValue(D14Examples.MAX, Bytes.fromHex("00ff00"))})
        {
            assertThat(AuthorizationToken.decode(t.encode())).isEqualTo(t);
        }
    }

    @Test
    void tokenValueRunsToTheEndOfTheParameter() throws Exception
    {
        final AuthorizationToken t = AuthorizationToken.decode(Bytes.fromHex("01 05 00 010203"));

        assertThat(t.aliasType()).isEqualTo(AuthorizationToken.AliasType.REGISTER);
        assertThat(t.alias()).isEqualTo(5);
        assertThat(t.tokenType()).isZero();
        assertThat(t.value()).isEqualTo(Bytes.fromHex("010203"));
    }

    @Test
    void bytesAfterAnAliasOnlyTokenAreAKeyValueFormattingError()
    {
        assertThatThrownBy(() -> AuthorizationToken.decode(Bytes.fromHex("02 05 00")))
            .isInstanceOfSatisfying(WireException.class,
                e -> assertThat(e.error()).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR));
    }

    @Test
    void cacheSizeIsSixteenPlusTheValue()
    {
        assertThat(AuthorizationToken.register(1, 1, Bytes.utf8("abcd")).cacheSize()).isEqualTo(20);
        assertThat(AuthorizationToken.delete(1).cacheSize()).isEqualTo(16);
    }

    @Test
    void inconsistentLocalTokenIsRefused()
    {
        assertThatThrownBy(() -> new AuthorizationToken(AuthorizationToken.AliasType.USE_VALUE, 1, 0, Bytes.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthorizationToken(AuthorizationToken.AliasType.DELETE, 1, 0, Bytes.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthorizationToken(AuthorizationToken.AliasType.REGISTER, 1, 0, null))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
