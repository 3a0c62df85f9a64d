package moq.relay.wire.d14;

import java.util.List;
import java.util.Objects;

/**
 * CLIENT_SETUP (0x20, §"CLIENT_SETUP and SERVER_SETUP"): {@code Number of Supported Versions (i),
 * Supported Versions (i) ..., Number of Parameters (i), Setup Parameters (..) ...}.
 *
 * <p>Versions are "32-bit unsigned integers encoded as varints"; a larger value is carried, not rejected: it
 * can never be selected, which is all the draft needs. An empty list decodes too; negotiation then fails
 * with VERSION_NEGOTIATION_FAILED ({@link VersionNegotiation}).
 */
public record ClientSetup(List<Long> supportedVersions, SetupParameters parameters) implements Draft14Message
{
    public ClientSetup
    {
        supportedVersions = List.copyOf(supportedVersions);
        for (final Long v : supportedVersions)
        {
            Fields.varint(v, "version");
        }
        Objects.requireNonNull(parameters, "parameters");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.CLIENT_SETUP;
    }
}
