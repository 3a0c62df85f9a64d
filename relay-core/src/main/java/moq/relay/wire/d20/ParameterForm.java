package moq.relay.wire.d20;

/**
 * How a peer serializes the Message Parameters whose draft-20 value is not length-prefixed but whose type is odd.
 * The draft-20 text (draft-21 §9.20) gives each parameter its own encoding: LARGEST_OBJECT (0x09) is a bare Location,
 * INCLUDE_PROPERTIES (0x35) a bare uint8. The forms cannot be told apart on receipt (a bare Location and a
 * length-prefixed one are both varints), so which one a peer uses is chosen per session, from its SETUP.
 */
public enum ParameterForm
{
    /** As the text says. Every peer that names no known implementation. */
    DRAFT,
    /**
     * Not draft-20: every odd type length-prefixed, the Key-Value-Pair rule of draft-16 and earlier, so LARGEST_OBJECT
     * is {@code 09 len group object} and INCLUDE_PROPERTIES {@code 35 01 value}. What {@code @moq/net} 0.3.4 (moq-dev's
     * browser client, MOQT_IMPLEMENTATION "moq-lite-js") writes and reads at draft 20: its {@code ietf/parameters.js}
     * says "LARGEST_OBJECT is an odd type, so the Key-Value-Pair rule gives it a Length on every draft" and
     * "[INCLUDE_PROPERTIES'] own section calls the value a uint8, but 0x35 is odd, so the Key-Value-Pair rule length
     * prefixes it". The other odd types (AUTHORIZATION_TOKEN, LOCATION_FILTER, FILL_PARAMETERS, the odd Range
     * Filters) are length-prefixed in the text too, so they read the same either way.
     */
    ODD_TYPES_LENGTH_PREFIXED
}
