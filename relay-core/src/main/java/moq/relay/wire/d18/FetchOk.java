package moq.relay.wire.d18;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;
import moq.relay.wire.param.Properties;

/**
 * FETCH_OK (0x18, §"FETCH_OK"): {@code End Of Track (8), End Location, Number of Parameters, Parameters,
 * Track Properties}. End Location uses the FETCH encoding (last object plus 1; Object 0 = whole group).
 *
 * <p>End Of Track is defined as 1 or 0; the draft names no code for other values, and we close with
 * PROTOCOL_VIOLATION (a field outside its definition). No parameter definition names FETCH_OK, so any
 * parameter is a PROTOCOL_VIOLATION. Whether End Location is below the FETCH's start is for the session layer.
 */
public record FetchOk(boolean endOfTrack, Location endLocation, MessageParameters parameters,
    Properties trackProperties) implements Draft18Message
{
    public FetchOk
    {
        Names.require(endLocation, "end location");
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.FETCH_OK);
        Names.require(trackProperties, "track properties");
    }

    public FetchOk(final boolean endOfTrack, final Location endLocation, final Properties trackProperties)
    {
        this(endOfTrack, endLocation, MessageParameters.EMPTY, trackProperties);
    }

    @Override
    public long type()
    {
        return MessageType.FETCH_OK;
    }

    public static FetchOk read(final WireReader reader) throws WireException
    {
        final int endOfTrack = reader.uint8();
        if (endOfTrack > 1)
        {
            throw WireException.protocolViolation("End Of Track " + endOfTrack + " is neither 0 nor 1");
        }
        final Location end = reader.location();
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.FETCH_OK);
        return new FetchOk(endOfTrack == 1, end, parameters, Properties.readTrackProperties(reader));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.uint8(endOfTrack ? 1 : 0).location(endLocation);
        parameters.write(writer);
        trackProperties.write(writer);
    }
}
