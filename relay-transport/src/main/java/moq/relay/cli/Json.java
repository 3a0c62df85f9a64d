package moq.relay.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import moq.relay.wire.Bytes;

import java.io.IOException;
import java.math.BigInteger;

/**
 * JSON rendering of decoded wire structures for the CLI. Records serialize by their components. Wire integers
 * are unsigned 64-bit, so every {@code long} prints unsigned. A {@link Bytes} prints as its text when every
 * byte is printable ASCII (and it does not itself start with "0x"), otherwise as {@code "0x" + hex}.
 */
public final class Json
{
    private static final ObjectMapper MAPPER = create();

    private Json()
    {
    }

    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    /**
     * Puts a wire integer into a tree node, unsigned: {@code ObjectNode.put(String, long)} would store it signed
     * (2^64-1 as -1), bypassing the mapper's serializer.
     */
    public static void putUnsigned(final ObjectNode node, final String name, final long value)
    {
        if (value >= 0)
        {
            node.put(name, value);
        }
        else
        {
            node.put(name, new BigInteger(Long.toUnsignedString(value)));
        }
    }

    /** Text form of a byte string as the CLI prints it. */
    public static String render(final Bytes bytes)
    {
        final boolean text = bytes.isPrintableAscii() && !bytes.utf8().startsWith("0x");
        return text ? bytes.utf8() : "0x" + bytes.hex();
    }

    private static ObjectMapper create()
    {
        final SimpleModule module = new SimpleModule("moq-wire");
        module.addSerializer(Bytes.class, new JsonSerializer<Bytes>()
        {
            @Override
            public void serialize(final Bytes value, final JsonGenerator gen, final SerializerProvider serializers)
                throws IOException
            {
                gen.writeString(render(value));
            }
        });
        final JsonSerializer<Long> unsigned = new JsonSerializer<Long>()
        {
            @Override
            public void serialize(final Long value, final JsonGenerator gen, final SerializerProvider serializers)
                throws IOException
            {
                if (value >= 0)
                {
                    gen.writeNumber(value);
                }
                else
                {
                    gen.writeNumber(new BigInteger(Long.toUnsignedString(value)));
                }
            }
        };
        module.addSerializer(Long.class, unsigned);
        module.addSerializer(long.class, unsigned);
        return new ObjectMapper()
            .registerModule(module)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
