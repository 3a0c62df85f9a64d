package moq.relay.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
final class MutableClock extends Clock
{
    private long millis;

    MutableClock(final long millis)
    {
        this.millis = millis;
    }

    void set(final long millis)
    {
        this.millis = millis;
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone)
    {
        return this;
    }

    @Override
    public long millis()
    {
        return millis;
    }

    @Override
    public Instant instant()
    {
        return Instant.ofEpochMilli(millis);
    }
}
