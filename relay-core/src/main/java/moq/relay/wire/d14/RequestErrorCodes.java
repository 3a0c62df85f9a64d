package moq.relay.wire.d14;

/**
 * The per-message error and status code tables of draft-14 (§"Error Codes", IANA). Messages carry the
 * code as a plain number, so codes from other versions or extensions pass through; these enums name the
 * known ones.
 */
public final class RequestErrorCodes
{
    private RequestErrorCodes()
    {
    }

    /** A named code point. */
    public interface Code
    {
        long code();
    }

    /** @return the constant of {@code table} with {@code code}, or null if the table has none. */
    public static <E extends Enum<E> & Code> E find(final Class<E> table, final long code)
    {
        for (final E e : table.getEnumConstants())
        {
            if (e.code() == code)
            {
                return e;
            }
        }
        return null;
    }

    /** SUBSCRIBE_ERROR and TRACK_STATUS_ERROR. */
    public enum SubscribeError implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TIMEOUT(0x2),
        NOT_SUPPORTED(0x3),
        TRACK_DOES_NOT_EXIST(0x4),
        INVALID_RANGE(0x5),
        MALFORMED_AUTH_TOKEN(0x10),
        EXPIRED_AUTH_TOKEN(0x12);

        private final long code;

        SubscribeError(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }

    /** PUBLISH_DONE Status Code. */
    public enum PublishDoneStatus implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TRACK_ENDED(0x2),
        SUBSCRIPTION_ENDED(0x3),
        GOING_AWAY(0x4),
        EXPIRED(0x5),
        TOO_FAR_BEHIND(0x6),
        MALFORMED_TRACK(0x7);

        private final long code;

        PublishDoneStatus(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }

    /** PUBLISH_ERROR. */
    public enum PublishError implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TIMEOUT(0x2),
        NOT_SUPPORTED(0x3),
        UNINTERESTED(0x4);

        private final long code;

        PublishError(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }

    /** FETCH_ERROR. */
    public enum FetchError implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TIMEOUT(0x2),
        NOT_SUPPORTED(0x3),
        TRACK_DOES_NOT_EXIST(0x4),
        INVALID_RANGE(0x5),
        NO_OBJECTS(0x6),
        INVALID_JOINING_REQUEST_ID(0x7),
        UNKNOWN_STATUS_IN_RANGE(0x8),
        MALFORMED_TRACK(0x9),
        MALFORMED_AUTH_TOKEN(0x10),
        EXPIRED_AUTH_TOKEN(0x12);

        private final long code;

        FetchError(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }

    /** PUBLISH_NAMESPACE_ERROR and PUBLISH_NAMESPACE_CANCEL (the IANA table still calls it ANNOUNCE_ERROR). */
    public enum PublishNamespaceError implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TIMEOUT(0x2),
        NOT_SUPPORTED(0x3),
        UNINTERESTED(0x4),
        MALFORMED_AUTH_TOKEN(0x10),
        EXPIRED_AUTH_TOKEN(0x12);

        private final long code;

        PublishNamespaceError(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }

    /** SUBSCRIBE_NAMESPACE_ERROR. */
    public enum SubscribeNamespaceError implements Code
    {
        INTERNAL_ERROR(0x0),
        UNAUTHORIZED(0x1),
        TIMEOUT(0x2),
        NOT_SUPPORTED(0x3),
        NAMESPACE_PREFIX_UNKNOWN(0x4),
        NAMESPACE_PREFIX_OVERLAP(0x5),
        MALFORMED_AUTH_TOKEN(0x10),
        EXPIRED_AUTH_TOKEN(0x12);

        private final long code;

        SubscribeNamespaceError(final long code)
        {
            this.code = code;
        }

        @Override
        public long code()
        {
            return code;
        }
    }
}
