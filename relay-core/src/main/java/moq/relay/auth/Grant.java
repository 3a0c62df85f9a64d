package moq.relay.auth;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * What a verified token (or the anonymous configuration) allows, until when. Immutable; safe to share between threads.
 */
public interface Grant
{
    /** No expiry. */
    long NEVER = Long.MAX_VALUE;

    /** Grants nothing, forever. */
    Grant NONE = new Grant()
    {
        @Override
        public boolean permits(final Action action, final TrackNamespace namespace, final Bytes track)
        {
            return false;
        }

        @Override
        public long expiresAtMillis()
        {
            return NEVER;
        }

        @Override
        public String toString()
        {
            return "Grant.NONE";
        }
    };

    /** Grants everything, forever: what the relay does with authorization off. */
    Grant ALL = new Grant()
    {
        @Override
        public boolean permits(final Action action, final TrackNamespace namespace, final Bytes track)
        {
            return true;
        }

        @Override
        public long expiresAtMillis()
        {
            return NEVER;
        }

        @Override
        public String toString()
        {
            return "Grant.ALL";
        }
    };

    /**
     * Whether {@code action} is allowed on {@code namespace} (for SUBSCRIBE_NAMESPACE: the prefix asked for) and
     * {@code track}; a null track means "some track in this namespace", as for discovery. Expiry is not checked here.
     */
    boolean permits(Action action, TrackNamespace namespace, Bytes track);

    /** Epoch milliseconds at which this grant ends ({@link #NEVER} if it does not). */
    long expiresAtMillis();

    /**
     * Whether discovery (SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS) may reveal {@code namespace}: only what the holder
     * may subscribe to.
     */
    default boolean reveals(final TrackNamespace namespace)
    {
        return permits(Action.SUBSCRIBE, namespace, null);
    }

    /** True when this grant has ended at {@code nowMillis}. */
    default boolean expiredAt(final long nowMillis)
    {
        return nowMillis >= expiresAtMillis();
    }
}
