package moq.relay.wire.d14;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import moq.relay.wire.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decode CLI prints messages as JSON by Jackson reflection on the records: every record must serialize
 * to exactly its components (helpers such as {@code contentExists()} or {@code deliveryTimeout()} must not
 * leak in as properties, nor throw).
 */
class Draft14JsonShapeTest
{
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
        .addSerializer(Bytes.class, new JsonSerializer<Bytes>()
        {
            @Override
            public void serialize(final Bytes value, final JsonGenerator gen, final SerializerProvider provider)
                throws IOException
            {
                gen.writeString(value.toString());
            }
        }));

    static Stream<Arguments> examples()
    {
        return D14Examples.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void serializesToExactlyTheRecordComponents(final String name, final Draft14Message message) throws Exception
    {
        final JsonNode tree = JSON.readTree(JSON.writeValueAsString(message));

        final List<String> fields = new ArrayList<>();
        tree.fieldNames().forEachRemaining(fields::add);
        final List<String> components = Arrays.stream(message.getClass().getRecordComponents())
            .map(RecordComponent::getName).toList();
        assertThat(fields).containsExactlyInAnyOrderElementsOf(components);
    }
}
