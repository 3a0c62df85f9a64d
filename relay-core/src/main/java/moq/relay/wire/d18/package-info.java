/**
 * Draft-18 (draft-ietf-moq-transport-18) control messages: one immutable record per message of the draft's type
 * table, typed Message Parameters, Track Properties kept byte for byte, and {@link
 * moq.relay.wire.d18.Draft18ControlCodec}.
 *
 * <p>Decoding enforces everything the draft lets a receiver check from the message alone, with the session error
 * the draft prescribes. Rules that need the stream or the role (which request a REQUEST_OK answers, whether a
 * SETUP came from a client) are offered as {@code validate*} methods for the session layer.
 *
 * <p>Readings of text that is ambiguous, each also noted where it applies:
 * <ul>
 *   <li>0x1E PUBLISH_OK: decoded as a REQUEST_OK, always sent as 0x7 ({@link moq.relay.wire.d18.RequestOk}).</li>
 *   <li>REQUEST_OK / REQUEST_UPDATE parameters: decoded against the union of their variants, narrowed by the
 *       session layer ({@link moq.relay.wire.d18.ParameterContext}).</li>
 *   <li>TRACK_STATUS accepts only AUTHORIZATION_TOKEN, the only definition naming it.</li>
 *   <li>A Subscription Filter not filling its length exactly: KEY_VALUE_FORMATTING_ERROR; unknown filter type and
 *       End Group overflow: PROTOCOL_VIOLATION ({@link moq.relay.wire.d18.MessageParameters}).</li>
 *   <li>FETCH_OK End Of Track other than 0/1: PROTOCOL_VIOLATION.</li>
 *   <li>A known Setup Option other than AUTHORIZATION_TOKEN repeated: PROTOCOL_VIOLATION (senders MUST NOT).</li>
 *   <li>DEFAULT_PUBLISHER_PRIORITY above 255 ("invalid", no code named): PROTOCOL_VIOLATION, like the other track
 *       property values the draft bounds. Unparsable Immutable Properties: kept and flagged as a malformed track,
 *       not a session error ({@link moq.relay.wire.param.Properties}).</li>
 * </ul>
 */
package moq.relay.wire.d18;
