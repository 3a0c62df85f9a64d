package moq.relay.session.lite;

import moq.relay.engine.MemoryBudget;

/**
 * What a moq-lite session takes from the relay's configuration (built by {@code MoqtSessions} from the same
 * {@code moq.relay.session.*} settings as the MoQT sessions).
 *
 * @param maxGatheredBytes bytes one session's Group Streams may gather ({@code moq.relay.session.max.gathered.bytes})
 * @param maxControlBytes  bytes one session's control-stream decoders may hold ({@code moq.relay.session.max.control.bytes})
 * @param controlBytes     the relay-wide control-byte budget, parent of each session's
 * @param publishDoneGraceMillis how long Group Streams may land after the publisher ended a track
 *                         ({@code moq.relay.session.publish.done.grace})
 * @param maxBroadcasts    broadcasts one moq-lite publisher may announce, and announcements one ANNOUNCE_PLEASE
 *                         may be sent (beyond: the extra ones are not published, or not sent)
 *                         ({@code moq.relay.lite.max.broadcasts})
 */
public record LiteSettings(long maxGatheredBytes, long maxControlBytes, MemoryBudget controlBytes,
    long publishDoneGraceMillis, int maxBroadcasts)
{
}
