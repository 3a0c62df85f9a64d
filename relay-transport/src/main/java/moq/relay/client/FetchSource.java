package moq.relay.client;

import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * What a publishing client serves to a FETCH from its peer (a relay's upstream FETCH): registered with
 * {@link MoqClient#serveFetches}. Without one, the client refuses FETCH with NOT_SUPPORTED. Called on the client's
 * event loop; must not block.
 */
public interface FetchSource
{
    /**
     * One entry of a fetch stream: an object, or ({@link #nonExistentUpTo}) an End of Non-Existent Range up to and
     * including {@code (group, objectId)} (left out on draft 14, which has no range markers).
     */
    record Item(long group, long subgroup, long objectId, int publisherPriority, byte[] payload,
        boolean nonExistentUpTo)
    {
        public static Item object(final long group, final long subgroup, final long objectId, final byte[] payload)
        {
            return new Item(group, subgroup, objectId, 128, payload, false);
        }

        public static Item nonExistentUpTo(final long group, final long objectId)
        {
            return new Item(group, 0, objectId, 0, new byte[0], true);
        }
    }

    /**
     * The entries of {@code [start, end)} of a track in ascending order; {@code end} in FETCH's draft-18 encoding
     * (the last object plus one; object 0 = the whole end group). Null: no such track (REQUEST_ERROR DOES_NOT_EXIST);
     * empty: nothing in the range (INVALID_RANGE).
     */
    List<Item> items(TrackNamespace namespace, Bytes name, Location start, Location end);
}
