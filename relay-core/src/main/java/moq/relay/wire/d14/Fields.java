package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.Location;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * Checks that message constructors apply to locally built values, so that anything constructible encodes
 * and decodes again. A failure is a local bug (IllegalArgumentException); peer input is checked by the codec
 * with the session error the draft prescribes, before any record is built.
 */
final class Fields
{
    private Fields()
    {
    }

    static long varint(final long value, final String what)
    {
        if (value < 0 || value > QuicVarint.MAX_VALUE)
        {
            throw new IllegalArgumentException(what + " " + Long.toUnsignedString(value) + " is not a 62-bit varint");
        }
        return value;
    }

    static int uint8(final int value, final String what)
    {
        if (value < 0 || value > 0xFF)
        {
            throw new IllegalArgumentException(what + " " + value + " is not a uint8");
        }
        return value;
    }

    static Location location(final Location location, final String what)
    {
        Objects.requireNonNull(location, what);
        varint(location.group(), what + ".group");
        varint(location.object(), what + ".object");
        return location;
    }

    /** §"Track Naming": 1 to 32 fields, and no more bytes than a full track name may have. */
    static TrackNamespace namespace(final TrackNamespace namespace, final String what)
    {
        Objects.requireNonNull(namespace, what);
        if (namespace.size() < 1)
        {
            throw new IllegalArgumentException(what + " needs 1 to " + TrackNamespace.MAX_FIELDS + " fields");
        }
        if (namespace.byteLength() > TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH)
        {
            throw new IllegalArgumentException(what + " is longer than a full track name may be");
        }
        return namespace;
    }

    /** A namespace prefix as this codec takes it: {@link #namespace} but possibly empty (see SubscribeNamespace). */
    static TrackNamespace prefix(final TrackNamespace prefix, final String what)
    {
        Objects.requireNonNull(prefix, what);
        return prefix.size() == 0 ? prefix : namespace(prefix, what);
    }

    /** §"Track Naming": namespace fields plus track name at most 4,096 bytes. */
    static Bytes trackName(final TrackNamespace namespace, final Bytes name)
    {
        Objects.requireNonNull(name, "trackName");
        if (namespace.byteLength() + name.length() > TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH)
        {
            throw new IllegalArgumentException("full track name longer than " + TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH);
        }
        return name;
    }

    static Bytes reason(final Bytes reason)
    {
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > Limits.MAX_REASON_PHRASE_LENGTH)
        {
            throw new IllegalArgumentException("reason phrase longer than " + Limits.MAX_REASON_PHRASE_LENGTH);
        }
        return reason;
    }

    /** Responses and PUBLISH: 0x0 (publisher's default) is a protocol error there. */
    static GroupOrder explicitGroupOrder(final GroupOrder order)
    {
        if (Objects.requireNonNull(order, "groupOrder") == GroupOrder.PUBLISHER_DEFAULT)
        {
            throw new IllegalArgumentException("group order must be ascending or descending here");
        }
        return order;
    }
}
