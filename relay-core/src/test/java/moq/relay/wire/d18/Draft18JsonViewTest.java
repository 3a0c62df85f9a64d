package moq.relay.wire.d18;

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

/**
 * The decode CLI prints messages through Jackson's reflection on records; only {@link Bytes} (not a record) needs
 * a serializer. This pins that every message serializes and shows its wire fields.
 */
class Draft18JsonViewTest
{
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new SimpleModule().addSerializer(Bytes.class, ToStringSerializer.instance));

    static Stream<Arguments> examples()
    {
        return Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyMessageSerializesToJsonByRecordReflection(final String name, final Draft18Message message)
        throws JsonProcessingException
    {
        assertThat(JSON.readTree(JSON.writeValueAsString(message)).isObject()).isTrue();
    }

    @Test
    void subscribeShowsItsFieldsAndTypedParameters() throws JsonProcessingException
    {
        final JsonNode node = JSON.readTree(JSON.writeValueAsString(Examples.all().get("SUBSCRIBE every parameter")));

        assertThat(node.get("requestId").asLong()).isEqualTo(2);
        assertThat(node.at("/namespace/fields/0").asText()).isEqualTo("example.com");
        assertThat(node.get("trackName").asText()).isEqualTo("video");
        assertThat(node.at("/parameters/entries").size()).isEqualTo(10);
        assertThat(node.at("/parameters/entries/7/filter/type").asText()).isEqualTo("ABSOLUTE_RANGE");
        assertThat(node.at("/parameters/entries/7/name").asText()).isEqualTo("SUBSCRIPTION_FILTER");
    }
}
