package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Redirect;

/**
 * Redirect structure of REQUEST_ERROR with code REDIRECT (§"Redirect Structure"): {@code Connect URI Length,
 * Connect URI, Track Namespace, Track Name Length, Track Name}. An empty URI means the current session; an empty
 * namespace and name mean the original track. The draft gives the URI no limit of its own, so the message's
 * 65,535 bytes bound it.
 */
public record Redirect(Bytes connectUri, TrackNamespace namespace, Bytes trackName)
{
    public Redirect
    {
        Names.require(connectUri, "connect URI");
        Names.requireFullTrackName(namespace, trackName);
    }

    /** Retry the same track at {@code connectUri}. */
    public static Redirect toUri(final Bytes connectUri)
    {
        return new Redirect(connectUri, TrackNamespace.EMPTY, Bytes.EMPTY);
    }

    public static Redirect read(final WireReader reader) throws WireException
    {
        final Bytes uri = reader.lengthPrefixed(Limits.MAX_CONTROL_PAYLOAD, "connect URI");
        final TrackNamespace namespace = reader.namespace(0, true);
        return new Redirect(uri, namespace, reader.trackName(namespace));
    }

    public void write(final WireWriter writer)
    {
        writer.lengthPrefixed(connectUri).namespace(namespace).lengthPrefixed(trackName);
    }

    /** True when both namespace and name are empty: retry with the original Full Track Name. */
    public boolean keepsTrack()
    {
        return namespace.size() == 0 && trackName.length() == 0;
    }

    /** A server receiving a non-empty Connect URI closes with PROTOCOL_VIOLATION. */
    public void validateReceivedByServer() throws WireException
    {
        if (connectUri.length() != 0)
        {
            throw WireException.protocolViolation("redirect to a URI sent to a server");
        }
    }

    /** For SUBSCRIBE_NAMESPACE and PUBLISH_NAMESPACE a non-empty Track Name is a PROTOCOL_VIOLATION. */
    public void validateForNamespaceRequest() throws WireException
    {
        if (trackName.length() != 0)
        {
            throw WireException.protocolViolation("track name in a redirect of a namespace request");
        }
    }
}
