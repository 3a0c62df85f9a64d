package moq.relay.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code decode --draft 20|18|14 --kind control|subgroup|fetch|datagram HEX} (MoQT) or
 * {@code decode --protocol moq-lite-03|04|05 --kind SIDE HEX} (moq-lite, {@link LiteDecode}): prints the decoded
 * structure as JSON and exits 0, or prints the error name and code and exits 1. How a user debugs interop; tests use it.
 */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = "Decode MoQT bytes (hex) and print them as JSON; on malformed input print the error and exit 1.")
public final class DecodeCommand implements Callable<Integer>
{
    public static final int EXIT_MALFORMED = 1;

    /** What the bytes are. */
    public enum Kind
    {
        /** One or more framed control messages, as on a control or request stream. */
        control,
        /** A whole subgroup stream: header then objects, ended by FIN. */
        subgroup,
        /** A whole fetch stream: header then objects, ended by FIN. */
        fetch,
        /** One OBJECT_DATAGRAM payload. */
        datagram
    }

    @Option(names = "--draft", description = "MoQT draft number: 20, 18 or 14.")
    Integer draft;

    @Option(names = "--protocol", description = "Instead of --draft: moq-lite-03, moq-lite-04 or moq-lite-05.")
    String protocol;

    @Option(names = "--kind", required = true, description = "MoQT: control, subgroup, fetch or datagram. moq-lite: "
        + "the stream side (announce, announce-reply, subscribe, subscribe-reply, fetch, fetch-reply, probe, "
        + "probe-reply, goaway, track, track-reply, setup, group) or datagram.")
    String kind;

    @Parameters(arity = "1..*", paramLabel = "HEX", description = "The bytes in hex (spaces allowed; joined).")
    String[] hex;

    @Override
    public Integer call()
    {
        final PrintStream out = System.out;
        if ((draft == null) == (protocol == null))
        {
            System.err.println("decode: give exactly one of --draft and --protocol");
            return 2;
        }
        if (protocol != null)
        {
            return decodeLite(out);
        }
        final Draft d;
        final Bytes bytes;
        final Kind kind;
        try
        {
            d = Draft.ofNumber(draft);
            kind = Kind.valueOf(this.kind);
            bytes = Bytes.fromHex(String.join("", hex));
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("decode: " + e.getMessage());
            return 2;
        }

        final ObjectNode result = Json.mapper().createObjectNode();
        result.put("draft", d.number());
        result.put("kind", kind.name());
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes.array());
            switch (kind)
            {
                case control:
                    result.set("messages", decodeControl(d, buffer));
                    break;
                default:
                    result.setAll(DataPlaneJson.decode(d, kind, buffer));
                    break;
            }
            out.println(Json.mapper().writeValueAsString(result));
            return 0;
        }
        catch (final WireException e)
        {
            return malformed(out, e);
        }
        catch (final Exception e)
        {
            System.err.println("decode: internal error: " + e);
            return 3;
        }
    }

    private Integer decodeLite(final PrintStream out)
    {
        final LiteVersion version = LiteVersion.ofAlpn(protocol);
        final Bytes bytes;
        try
        {
            if (version == null)
            {
                throw new IllegalArgumentException("unknown protocol '" + protocol + "' (moq-lite-03, -04 or -05)");
            }
            LiteDecode.side(kind);
            bytes = Bytes.fromHex(String.join("", hex));
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("decode: " + e.getMessage());
            return 2;
        }
        final ObjectNode result = Json.mapper().createObjectNode();
        result.put("protocol", version.alpn());
        result.put("kind", kind);
        try
        {
            result.setAll(LiteDecode.decode(version, kind, new UnsafeBuffer(bytes.array())));
            out.println(Json.mapper().writeValueAsString(result));
            return 0;
        }
        catch (final WireException e)
        {
            return malformed(out, e);
        }
        catch (final Exception e)
        {
            System.err.println("decode: internal error: " + e);
            return 3;
        }
    }

    private static int malformed(final PrintStream out, final WireException e)
    {
        final ObjectNode error = Json.mapper().createObjectNode();
        error.put("error", e.error().name());
        error.put("code", e.error().code());
        error.put("detail", e.getMessage());
        out.println(error.toPrettyString());
        return EXIT_MALFORMED;
    }

    /** The control codec of a draft. */
    static ControlCodec controlCodec(final Draft draft)
    {
        switch (draft)
        {
            case DRAFT_20:
                return Draft20ControlCodec.INSTANCE;
            case DRAFT_18:
                return Draft18ControlCodec.INSTANCE;
            default:
                return Draft14ControlCodec.INSTANCE;
        }
    }

    private static ArrayNode decodeControl(final Draft draft, final UnsafeBuffer buffer) throws WireException
    {
        final ControlCodec codec = controlCodec(draft);
        final ArrayNode messages = Json.mapper().createArrayNode();
        int offset = 0;
        final int end = buffer.capacity();
        if (end == 0)
        {
            throw WireException.protocolViolation("no bytes");
        }
        while (offset < end)
        {
            final int length = ControlFramer.frameLength(draft.varint(), buffer, offset, end - offset);
            if (length == ControlFramer.NEED_MORE)
            {
                throw WireException.protocolViolation(
                    "truncated control message at byte " + offset + " (" + (end - offset) + " bytes left)");
            }
            final ControlMessage message = codec.decode(buffer, offset, length);
            final ObjectNode node = messages.addObject();
            node.put("message", messageName(message));
            node.put("type", "0x" + Long.toHexString(message.type()));
            node.set("fields", Json.mapper().valueToTree(message));
            offset += length;
        }
        return messages;
    }

    /** SubscribeOk → SUBSCRIBE_OK. */
    static String messageName(final Object message)
    {
        return message.getClass().getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
    }
}
