package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Names;

import java.util.List;

/**
 * FETCH (0x16, §"FETCH"): {@code Request ID, Fetch Type, [Standalone], [Joining], Number of Parameters,
 * Parameters}. Exactly one of {@code standalone} (type 1) and {@code joining} (types 2 and 3) is non-null.
 */
public record Fetch(
    long requestId,
    Type fetchType,
    Standalone standalone,
    Joining joining,
    MessageParameters parameters) implements Draft18Message
{
    /** Fetch Type code points; any other is a PROTOCOL_VIOLATION. */
    public enum Type
    {
        STANDALONE(0x1),
        /** Start = {Joining Location.Group - Joining Start, 0}. */
        RELATIVE_JOINING(0x2),
        /** Start = {Joining Start, 0}. */
        ABSOLUTE_JOINING(0x3);

        private final int code;

        Type(final int code)
        {
            this.code = code;
        }

        public int code()
        {
            return code;
        }
    }

    /**
     * Standalone Fetch: {@code Track Namespace, Track Name Length, Track Name, Start Location, End Location}.
     * End Location is the last object plus 1; an End Location Object of 0 asks for the whole End group.
     */
    public record Standalone(TrackNamespace namespace, Bytes trackName, Location start, Location end)
    {
        public Standalone
        {
            Names.requireFullTrackName(namespace, trackName);
            Names.require(start, "start");
            Names.require(end, "end");
        }
    }

    /** Joining Fetch: {@code Joining Request ID (vi64), Joining Start (vi64)}. */
    public record Joining(long joiningRequestId, long joiningStart)
    {
    }

    public Fetch
    {
        Names.require(fetchType, "fetch type");
        if ((fetchType == Type.STANDALONE) != (standalone != null) || (standalone == null) == (joining == null))
        {
            throw new IllegalArgumentException("fetch type " + fetchType + " does not match its fields");
        }
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.FETCH);
    }

    public static Fetch standalone(
        final long requestId,
        final TrackNamespace namespace,
        final Bytes trackName,
        final Location start,
        final Location end,
        final MessageParameters parameters)
    {
        return new Fetch(requestId, Type.STANDALONE, new Standalone(namespace, trackName, start, end), null,
            parameters);
    }

    public static Fetch relativeJoining(
        final long requestId, final long joiningRequestId, final long groupsBack, final MessageParameters parameters)
    {
        return new Fetch(requestId, Type.RELATIVE_JOINING, null, new Joining(joiningRequestId, groupsBack), parameters);
    }

    public static Fetch absoluteJoining(
        final long requestId, final long joiningRequestId, final long startGroup, final MessageParameters parameters)
    {
        return new Fetch(requestId, Type.ABSOLUTE_JOINING, null, new Joining(joiningRequestId, startGroup), parameters);
    }

    @Override
    public long type()
    {
        return MessageType.FETCH;
    }

    public static Fetch read(final WireReader reader) throws WireException
    {
        final long requestId = reader.varint();
        final long code = reader.varint();
        final Type type;
        Standalone standalone = null;
        Joining joining = null;
        if (code == 0x1)
        {
            type = Type.STANDALONE;
            final TrackNamespace namespace = reader.namespace(0, true);
            final Bytes name = reader.trackName(namespace);
            final Location start = reader.location();
            standalone = new Standalone(namespace, name, start, reader.location());
        }
        else if (code == 0x2 || code == 0x3)
        {
            type = code == 0x2 ? Type.RELATIVE_JOINING : Type.ABSOLUTE_JOINING;
            final long joiningRequestId = reader.varint();
            joining = new Joining(joiningRequestId, reader.varint());
        }
        else
        {
            throw WireException.protocolViolation("fetch type " + Long.toUnsignedString(code) + " unknown");
        }
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.FETCH);
        return new Fetch(requestId, type, standalone, joining, parameters);
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).varint(fetchType.code());
        if (standalone != null)
        {
            writer.namespace(standalone.namespace()).lengthPrefixed(standalone.trackName());
            writer.location(standalone.start()).location(standalone.end());
        }
        else
        {
            writer.varint(joining.joiningRequestId()).varint(joining.joiningStart());
        }
        parameters.write(writer);
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

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
