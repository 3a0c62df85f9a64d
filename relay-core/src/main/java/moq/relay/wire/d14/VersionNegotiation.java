package moq.relay.wire.d14;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

import java.util.List;

/**
 * Version negotiation in the SETUP exchange (§"Versions"): the server picks one of the versions the client
 * offered, and either side closes with VERSION_NEGOTIATION_FAILED when that is impossible.
 */
public final class VersionNegotiation
{
    /** The only version this codec speaks: 0xff000000 + 14. */
    public static final long DRAFT_14_VERSION = Draft.DRAFT_14.version();

    private VersionNegotiation()
    {
    }

    /** Server side: the version to put in SERVER_SETUP, draft-14's if the client offered it. */
    public static long select(final ClientSetup clientSetup) throws WireException
    {
        for (final long v : clientSetup.supportedVersions())
        {
            if (v == DRAFT_14_VERSION)
            {
                return v;
            }
        }
        throw new WireException(SessionError.VERSION_NEGOTIATION_FAILED,
            "client offered no supported version (want 0x" + Long.toHexString(DRAFT_14_VERSION) + "), got " +
            hex(clientSetup));
    }

    /** Client side: the server must select a version the client offered, and one this codec speaks. */
    public static void checkSelected(final ClientSetup offered, final ServerSetup answer) throws WireException
    {
        final long selected = answer.selectedVersion();
        if (selected != DRAFT_14_VERSION || !offered.supportedVersions().contains(selected))
        {
            throw new WireException(SessionError.VERSION_NEGOTIATION_FAILED,
                "server selected 0x" + Long.toHexString(selected) + ", offered " + hex(offered));
        }
    }

    private static String hex(final ClientSetup setup)
    {
        // A peer may offer thousands of versions: name a few, not all, in the error message.
        final List<Long> versions = setup.supportedVersions();
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(versions.size(), 8); i++)
        {
            sb.append(i > 0 ? ", " : "").append("0x").append(Long.toHexString(versions.get(i)));
        }
        return sb.append(versions.size() > 8 ? ", ... " + versions.size() + " in all]" : "]").toString();
    }
}
