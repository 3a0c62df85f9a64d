package moq.relay.wire.d20;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import moq.relay.wire.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code decode --draft 20} prints messages through Jackson's reflection on records: every example serializes. */
class Draft20JsonViewTest
{
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new SimpleModule().addSerializer(Bytes.class, ToStringSerializer.instance));

    static Stream<Arguments> examples()
    {
        return Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyMessageSerializesToJsonByRecordReflection(final String name, final Draft20Message message)
        throws JsonProcessingException
    {
        assertThat(JSON.readTree(JSON.writeValueAsString(message)).isObject()).isTrue();
    }

    @Test
    void subscribeShowsItsLocationFilterFillAndRangeFilters() throws JsonProcessingException
    {
        final JsonNode node = JSON.readTree(JSON.writeValueAsString(Examples.all().get("SUBSCRIBE every parameter")));
        final JsonNode entries = node.at("/parameters/entries");
        assertThat(entries.size()).isEqualTo(16);
        assertThat(entries.get(7).get("name").asText()).isEqualTo("LOCATION_FILTER");
        assertThat(entries.get(7).at("/filter/endObject").asLong()).isEqualTo(7);
        assertThat(entries.get(9).get("name").asText()).isEqualTo("FILL_PARAMETERS");
        assertThat(entries.get(9).at("/parameters/entries/2/filter/startGroup").asLong()).isEqualTo(2);
        assertThat(entries.get(10).get("name").asText()).isEqualTo("SUBGROUP_FILTER");
        assertThat(entries.get(10).at("/filter/deltas").toString()).isEqualTo("[3,2,5,5]");
    }
}
