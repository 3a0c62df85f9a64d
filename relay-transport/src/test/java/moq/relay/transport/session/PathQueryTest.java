package moq.relay.transport.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one query-string helper, as SETUP's PATH, the WebTransport :path and the token and peer-relay readers use it. */
class PathQueryTest
{
    @Test
    void withoutQueryKeepsOnlyThePath()
    {
        assertThat(PathQuery.withoutQuery("/moq?jwt=secret")).isEqualTo("/moq");
        assertThat(PathQuery.withoutQuery("/moq")).isEqualTo("/moq");
        assertThat(PathQuery.withoutQuery("?jwt=secret")).isEmpty();
    }

    @Test
    void parameterIsDecodedAndTheFirstOneWins()
    {
        assertThat(PathQuery.parameter("/moq?a=1&jwt=x%2By&jwt=z", "jwt", null)).isEqualTo("x+y");
        assertThat(PathQuery.parameter("/moq?jwt", "jwt", null)).isEmpty();
        assertThat(PathQuery.parameter("/moq?jwtx=1", "jwt", null)).isNull();
        assertThat(PathQuery.parameter("/moq", "jwt", null)).isNull();
    }

    @Test
    void aMalformedEscapeIsWhatTheCallerSays()
    {
        assertThat(PathQuery.parameter("/moq?jwt=%zz", "jwt", null)).isNull();
        assertThat(PathQuery.parameter("/moq?moq-relay-peer=%zz", "moq-relay-peer", "?")).isEqualTo("?");
    }
}
