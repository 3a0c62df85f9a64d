package moq.relay.wire.d14;

import java.util.Objects;

/**
 * SERVER_SETUP (0x21, §"CLIENT_SETUP and SERVER_SETUP"): {@code Selected Version (i), Number of Parameters (i),
 * Setup Parameters (..) ...}. A server never sends PATH or AUTHORITY (INVALID_PATH, INVALID_AUTHORITY).
 */
public record ServerSetup(long selectedVersion, SetupParameters parameters) implements Draft14Message
{
    public ServerSetup
    {
        Fields.varint(selectedVersion, "selectedVersion");
        Objects.requireNonNull(parameters, "parameters");
        if (SetupParameters.problem(parameters.pairs(), true) != null)
        {
            throw new IllegalArgumentException("a server sends neither PATH nor AUTHORITY");
        }
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SERVER_SETUP;
    }
}
