package moq.relay.wire.d18;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.SetupOptions;

import java.util.List;

/**
 * SETUP (0x2F00, §"SETUP"): draft-18's Setup Options ({@link SetupOption}) read, checked and looked up as both
 * request-stream drafts do ({@link SetupOptions}).
 */
public record Setup(List<KeyValuePair> options) implements Draft18Message, SetupOptions
{
    public Setup
    {
        options = SetupOptions.checked(options, SetupOption::isKnown);
    }

    public static Setup of(final KeyValuePair... options)
    {
        return new Setup(List.of(options));
    }

    @Override
    public long type()
    {
        return MessageType.SETUP;
    }

    public static Setup read(final WireReader reader) throws WireException
    {
        return new Setup(SetupOptions.read(reader, SetupOption::isKnown));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        KeyValuePairs.write(writer, options, true);
    }
}
