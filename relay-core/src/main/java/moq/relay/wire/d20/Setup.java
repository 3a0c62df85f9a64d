package moq.relay.wire.d20;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.SetupOptions;

import java.util.List;

/**
 * SETUP (0x2F00, draft-21 §9.1): draft-20's Setup Options ({@link SetupOption}) read, checked and looked up as both
 * request-stream drafts do ({@link SetupOptions}), plus the two draft 20 added.
 */
public record Setup(List<KeyValuePair> options) implements Draft20Message, SetupOptions
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

    /** MAX_FILTER_RANGES (0x06): Ranges the sender accepts in the Range Filters of one subscription or fetch; 0 by default, which forbids Range Filters. */
    public long maxFilterRanges()
    {
        return varintOption(SetupOption.MAX_FILTER_RANGES);
    }

    /** MAX_REQUEST_UPDATES (0x08): unanswered REQUEST_UPDATEs the sender accepts per request stream; 0 (default) = no limit. */
    public long maxRequestUpdates()
    {
        return varintOption(SetupOption.MAX_REQUEST_UPDATES);
    }
}
