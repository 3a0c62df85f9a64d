package moq.relay.transport.webtransport;

import java.util.List;

/**
 * WebTransport application protocol negotiation (draft-ietf-webtrans-http3-16 3.3): the server's preference
 * decides among the protocols the client offers in {@code WT-Available-Protocols}.
 */
final class ProtocolNegotiation
{
    private ProtocolNegotiation()
    {
    }

    /**
     * @param serverPreference the relay's protocols, most preferred first.
     * @param availableProtocolsField the raw {@code wt-available-protocols} value, or null when absent.
     * @return the chosen protocol, or null when the field is absent, malformed or shares nothing with the server's
     * list (the session then answers no {@code WT-Protocol}, and MoQT falls back to SETUP negotiation).
     */
    static String choose(final List<String> serverPreference, final CharSequence availableProtocolsField)
    {
        final List<String> offered = StructuredFields.parseStringList(availableProtocolsField);
        if (offered == null)
        {
            return null;
        }
        for (final String protocol : serverPreference)
        {
            if (offered.contains(protocol))
            {
                return protocol;
            }
        }
        return null;
    }
}
