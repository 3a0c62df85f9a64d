/**
 * Draft-20 (draft-ietf-moq-transport-20, ALPN {@code moqt-20}, version 0xff000014) control messages: one immutable
 * record per message of the draft's type table, typed Message Parameters, and {@link
 * moq.relay.wire.d20.Draft20ControlCodec}. The text used is draft-21, which its Appendix A.1 describes as draft-20's
 * wire format with editorial restructuring only; section numbers cited are draft-21's.
 *
 * <p>Draft-20 keeps draft-18's framing (leading-ones varints, SETUP on unidirectional streams, a bidirectional
 * stream per request) and its data plane ({@link moq.relay.wire.data}, keyed on {@code Draft.atLeast(18)}), adding
 * the fetch stream's End of Timed-Out Range. Types whose wire form did not change are {@link moq.relay.wire.param}'s,
 * shared with draft-18: {@code AuthToken}, {@code Properties}, {@code PropertyType}, {@code GroupOrder},
 * {@code Redirect}, {@code Names}; so a cross-draft relay passes Track Properties and tokens through as the same
 * objects. The Message Parameter layer, SETUP's options and the shapes of the messages both drafts lay out alike are
 * {@code param}'s too; this package declares draft-20's parameter types, scopes and own values.
 *
 * <p>Wire changes from draft-18, each in the record that carries it: GOAWAY without Request ID; 0x1E reserved (no
 * more PUBLISH_OK code); PUBLISH_BLOCKED renamed {@link moq.relay.wire.d20.PublishSkipped} (same layout); new
 * {@link moq.relay.wire.d20.PublishStateNotify} (0x22); FETCH without Fetch Type, Joining FETCH and Start/End fields
 * (its range is the LOCATION_FILTER parameter); the tagged Subscription Filter replaced by the {@link
 * moq.relay.wire.d20.LocationFilter} (0 to 4 varints); new parameters FILL_PARAMETERS, the five {@link
 * moq.relay.wire.d20.RangeFilter}s and INCLUDE_PROPERTIES; new Setup Options MAX_FILTER_RANGES and
 * MAX_REQUEST_UPDATES; PUBLISH_DONE Stream Count up to 2^64-1; new error codes (TOO_MANY_REQUEST_UPDATES 0x1B,
 * CONFLICTING_FILTERS 0x35, INVALID_FILTER 0x36) and removed ones (VERSION_NEGOTIATION_FAILED, SUBSCRIPTION_ENDED,
 * DUPLICATE_SUBSCRIPTION, INVALID_JOINING_REQUEST_ID).
 *
 * <p>One known client reads and writes two parameters in a form that is not the draft's: {@code @moq/net} 0.3.4
 * length-prefixes LARGEST_OBJECT and INCLUDE_PROPERTIES (every odd type, the Key-Value-Pair rule of earlier drafts).
 * {@link moq.relay.wire.d20.Draft20ControlCodec#ODD_TYPES_LENGTH_PREFIXED} reads that form ({@link
 * moq.relay.wire.d20.ParameterForm}); the session layer uses it only for a peer whose SETUP names that client.
 *
 * <p>Decoding enforces everything the draft lets a receiver check from the message alone, with the session error
 * the draft prescribes. Rules that need the stream, the role or the session's state (which request a REQUEST_OK
 * answers, who sent a PUBLISH_STATE_NOTIFY, the MAX_FILTER_RANGES this endpoint announced) are offered as
 * {@code validate*} methods and {@link moq.relay.wire.d20.MessageParameters#rangeFilterProblem} for the session layer.
 *
 * <p>Readings of text that is ambiguous or silent, each also noted where it applies:
 * <ul>
 *   <li>FILL_PARAMETERS' value carries a Number of Parameters: "encoded as if they were Parameters for a separate
 *       message" (§9.20.16), and a message's Parameters are counted; {@code @moq/net} 0.3.4 writes the count too. Its
 *       length mismatches (cut short, bytes left over) are a message's, PROTOCOL_VIOLATION; a parameter Table 6 does
 *       not list is a PROTOCOL_VIOLATION as the text says.</li>
 *   <li>A Location or Range Filter whose bytes do not fit its length (a truncated varint, a fifth Location field, a
 *       Property Filter without its Property Type): KEY_VALUE_FORMATTING_ERROR, the rule for a value not matching
 *       its serialization (§8.3), as draft-18's Subscription Filter. End group past 2^64-1: PROTOCOL_VIOLATION as
 *       the text says.</li>
 *   <li>What the text answers with REQUEST_ERROR INVALID_FILTER (a Range delta overflowing 2^64-1, a PRIORITY_FILTER
 *       value above 255, an odd Property Type, a repeated Type/SetID/Property Type, more Ranges than
 *       MAX_FILTER_RANGES, any Range Filter when it is 0) decodes, so that the session can reject the request
 *       rather than close; a repeated Range Filter type is therefore not a duplicate-parameter error. A zero-length
 *       (cleared) Range Filter still counts as "sending" a filter when MAX_FILTER_RANGES is 0.</li>
 *   <li>Parameter scope (§9.20.2's table is empty in the text, so each definition's "MAY appear in" list is used,
 *       {@link moq.relay.wire.d20.ParameterContext}): SUBSCRIBE_TRACKS takes every SUBSCRIBE parameter (§9.18.1) plus
 *       TRACK_PROPERTY_FILTER; PUBLISH takes the subscription parameters a publisher states (§9.8 "such as", §9.18.1)
 *       including the object Range Filters; PUBLISH_OK only EXPIRES (#1790); TRACK_STATUS_OK also EXPIRES ("the same
 *       parameters ... as SUBSCRIBE_OK"); REQUEST_UPDATE of a SUBSCRIBE_TRACKS takes FORWARD, TRACK_PROPERTY_FILTER
 *       and TRACK_NAMESPACE_PREFIX.</li>
 *   <li>SUBSCRIBE_TRACKS_OK's Track Properties: §9.3 lists neither it among the REQUEST_OKs whose properties must be
 *       empty nor as populated; accepted.</li>
 *   <li>A Location Filter of two fields {0, 0} is the Next Object, as the text says; an encoder wanting "everything"
 *       sends no filter (or a zero-length one), which is what {@code @moq/net} does too.</li>
 *   <li>FETCH_OK End Location: read as an inclusive Location, like the Location Filter's end; draft-18's "last
 *       object plus 1" encoding went with FETCH's Start/End fields.</li>
 *   <li>0x1E is an unknown type (reserved), not draft-18's tolerated PUBLISH_OK.</li>
 *   <li>A known Setup Option other than AUTHORIZATION_TOKEN repeated: PROTOCOL_VIOLATION (senders MUST NOT), as for
 *       draft-18.</li>
 * </ul>
 */
package moq.relay.wire.d20;
