package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Names;

import java.util.List;

/**
 * FETCH (0x16, draft-21 §9.11): {@code Request ID, Track Namespace, Track Name Length, Track Name, Number of
 * Parameters, Parameters}. Draft-20 dropped the Fetch Type, Joining FETCH (replaced by FILL_PARAMETERS on the
 * subscription, §3.4) and the Start/End Location fields: the range is the LOCATION_FILTER parameter (#1809), all of
 * the track up to Largest Object when absent, and up to Largest Object when the filter names no end.
 */
public record Fetch(long requestId, TrackNamespace namespace, Bytes trackName, MessageParameters parameters)
    implements Draft20Message
{
    public Fetch
    {
        Names.requireFullTrackName(namespace, trackName);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.FETCH);
    }

    @Override
    public long type()
    {
        return MessageType.FETCH;
    }

    public static Fetch read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static Fetch read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        final Bytes name = reader.trackName(namespace);
        return new Fetch(requestId, namespace, name, MessageParameters.read(reader, ParameterContext.FETCH, form));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(namespace).lengthPrefixed(trackName);
        parameters.write(writer);
    }

    /**
     * The requested range, evaluated with the Fetch rules (§9.20.10): {@link LocationFilter#NONE} (the whole track up
     * to Largest Object) when absent.
     */
    public LocationFilter range()
    {
        return parameters.locationFilter().orElse(LocationFilter.NONE);
    }

    /** SUBSCRIBER_PRIORITY, default 128. */
    public int subscriberPriority()
    {
        return parameters.subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY);
    }

    /** GROUP_ORDER, default Ascending for FETCH. */
    public GroupOrder groupOrder()
    {
        return parameters.groupOrder().orElse(GroupOrder.ASCENDING);
    }

    /** INCLUDE_PROPERTIES, default 1: whether FETCH_OK should carry Track Properties. */
    public boolean includeProperties()
    {
        return parameters.includeProperties().orElse(true);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
