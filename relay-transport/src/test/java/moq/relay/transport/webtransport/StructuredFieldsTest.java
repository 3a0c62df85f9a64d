package moq.relay.transport.webtransport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructuredFieldsTest
{
    @Test
    void parsesAListOfStringsAsChromiumSendsIt()
    {
        assertThat(StructuredFields.parseStringList(
            "\"moq-lite-04\", \"moq-lite-03\", \"moql\", \"moqt-17\", \"moqt-16\", \"moqt-15\""))
            .containsExactly("moq-lite-04", "moq-lite-03", "moql", "moqt-17", "moqt-16", "moqt-15");
    }

    @Test
    void acceptsEscapesTabsAroundCommasLeadingAndTrailingSpacesAndIgnoresParameters()
    {
        assertThat(StructuredFields.parseStringList("  \"a\\\"b\\\\c\"\t,\t\"x\";q=0.5;flag;n=-12;t=tok/en:1;" +
            "b=:aGk=:;d=@1700000000;s=\"p\";ds=%\"caf%c3%a9\";bool=?0  "))
            .containsExactly("a\"b\\c", "x");
        assertThat(StructuredFields.parseStringList("")).isEmpty();
    }

    @Test
    void ignoresTheWholeFieldWhenAnyMemberIsNotAString()
    {
        assertThat(StructuredFields.parseStringList("\"moqt-18\", moqt-16")).isNull();
        assertThat(StructuredFields.parseStringList("(\"moqt-18\")")).isNull();
        assertThat(StructuredFields.parseStringList("\"moqt-18\", 18")).isNull();
        assertThat(StructuredFields.parseStringList("\"moqt-18\", ?1")).isNull();
    }

    @Test
    void rejectsSyntaxErrors()
    {
        for (final String bad : List.of("\"unterminated", "\"a\",", "\"a\" \"b\"", "\"a\\n\"", "\"a\";Q=1",
            "\"a\";q=1.2345", "\"a\";q=", "\"a\";b=:not base64!:", "\"tab\tinside\"", "\"\u00e9\"", ",\"a\"",
            "\"a\";d=%\"%C3\""))
        {
            assertThat(StructuredFields.parseStringList(bad)).as(bad).isNull();
        }
    }

    @Test
    void hostileInputNeitherThrowsNorGrowsBeyondTheMemberBound()
    {
        final StringBuilder many = new StringBuilder();
        for (int i = 0; i <= StructuredFields.MAX_LIST_MEMBERS; i++)
        {
            many.append(i == 0 ? "" : ",").append("\"p").append(i).append('"');
        }
        assertThat(StructuredFields.parseStringList(many)).isNull();
        assertThat(StructuredFields.parseStringList("\"" + "\\".repeat(10_000))).isNull();
        assertThat(StructuredFields.parseStringList(";".repeat(10_000))).isNull();
        assertThat(StructuredFields.parseStringList(null)).isNull();
    }

    @Test
    void serializesAStringItem()
    {
        assertThat(StructuredFields.serializeString("moqt-18")).isEqualTo("\"moqt-18\"");
        assertThat(StructuredFields.serializeString("a\"b\\")).isEqualTo("\"a\\\"b\\\\\"");
        assertThatThrownBy(() -> StructuredFields.serializeString("caf\u00e9"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negotiationPicksTheServersFirstPreferenceTheClientOffers()
    {
        assertThat(ProtocolNegotiation.choose(List.of("moqt-18", "moqt-16"), "\"moqt-16\", \"moqt-18\""))
            .isEqualTo("moqt-18");
        assertThat(ProtocolNegotiation.choose(List.of("moqt-18"), "\"moqt-16\"")).isNull();
        assertThat(ProtocolNegotiation.choose(List.of("moqt-18"), null)).isNull();
        assertThat(ProtocolNegotiation.choose(List.of("moqt-18"), "moqt-18")).isNull();
    }
}
