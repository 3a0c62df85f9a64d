/**
 * Draft-14 (draft-ietf-moq-transport-14) control messages: one immutable record per message type,
 * {@link moq.relay.wire.d14.Draft14ControlCodec} to decode and encode them, the Setup and version-specific
 * parameters with typed accessors, the Authorization Token structure and version negotiation.
 *
 * <h2>Where the -14 text is ambiguous or wrong, and what this package does</h2>
 * <ul>
 *   <li><b>MOQT_IMPLEMENTATION type.</b> The text gives it 0x05, which is also AUTHORITY's. One type cannot
 *       name two parameters, so we use 0x07 (as draft-18 does, and deployed -14 stacks reportedly do) and
 *       keep 0x05 as AUTHORITY ({@link moq.relay.wire.d14.SetupParameters#MOQT_IMPLEMENTATION}).</li>
 *   <li><b>PUBLISH, PUBLISH_OK, PUBLISH_ERROR length.</b> Their diagrams say {@code Length (i)}; the common
 *       framing says {@code Message Length (16)} for every message. We use 16 bits
 *       ({@link moq.relay.wire.d14.Publish}).</li>
 *   <li><b>Parameters defined for other messages</b> "MUST be ignored": they are kept for byte-exact
 *       re-encoding, not parsed, may repeat, and the typed accessors report them absent.</li>
 *   <li><b>Repeated known parameters</b> ("Receivers SHOULD check ... PROTOCOL_VIOLATION") are rejected, except
 *       AUTHORIZATION TOKEN, which the text lets repeat. Unknown ones may repeat.</li>
 *   <li><b>End Of Track</b> in FETCH_OK has no stated error for values other than 0 and 1; we treat it like
 *       Forward and Content Exists: PROTOCOL_VIOLATION.</li>
 *   <li><b>SUBSCRIBE_UPDATE End Group before its Start group</b> is a PROTOCOL_VIOLATION at decode (the update
 *       has no response to carry an error); SUBSCRIBE's AbsoluteRange with End Group before Start is carried
 *       through, since the draft answers it with SUBSCRIBE_ERROR INVALID_RANGE.</li>
 *   <li><b>SUBSCRIBE_NAMESPACE / UNSUBSCRIBE_NAMESPACE prefixes</b> may have 0 to 32 fields. The -14 text says 1
 *       to 32 and a session close for 0, but deployed clients (@moq/lite) send the empty prefix of later drafts
 *       for "every namespace", and one request must not end a call: it is decoded, and the session answers it
 *       (SUBSCRIBE_NAMESPACE_ERROR, or that client's quirk). More than 32 fields is a PROTOCOL_VIOLATION.
 *       Namespace fields may be empty.</li>
 *   <li><b>UNSUBSCRIBE_NAMESPACE with a Request ID.</b> @moq/lite 0.2.2 writes the later drafts' form (the
 *       request id of its SUBSCRIBE_NAMESPACE) where -14 has the prefix. The forms cannot be told apart on
 *       receipt, so {@link moq.relay.wire.d14.Draft14ControlCodec#INSTANCE} reads the draft's and
 *       {@link moq.relay.wire.d14.Draft14ControlCodec#REQUEST_ID_UNSUBSCRIBE_NAMESPACE} the other, for that peer's
 *       session only ({@link moq.relay.wire.d14.UnsubscribeNamespaceRequest}).</li>
 *   <li><b>Namespace bytes.</b> A namespace alone longer than 4,096 bytes (e.g. in PUBLISH_NAMESPACE) can never
 *       be part of a valid full track name and is a PROTOCOL_VIOLATION (shared {@code WireReader} rule).</li>
 *   <li><b>A byte-valued KVP whose length runs past the message</b> is KEY_VALUE_FORMATTING_ERROR (shared
 *       {@code KeyValuePairs} rule); a length above 65,535 is PROTOCOL_VIOLATION, as the text says.</li>
 *   <li><b>Versions</b> are "32-bit unsigned integers encoded as varints"; larger values are carried, never
 *       selected. An empty version list decodes; negotiation then fails with VERSION_NEGOTIATION_FAILED.</li>
 *   <li><b>PATH and AUTHORITY</b> are checked against RFC 3986 at decode (MALFORMED_PATH,
 *       MALFORMED_AUTHORITY; an empty host is malformed, as the moqt scheme forbids it); received in
 *       SERVER_SETUP they are INVALID_PATH and INVALID_AUTHORITY. Their use over WebTransport, and whether
 *       this server serves them, are the session's checks.</li>
 * </ul>
 *
 * <h2>Left to the session layer (needs state)</h2>
 * Request ID parity, order and limits (INVALID_REQUEST_ID, TOO_MANY_REQUESTS); MAX_REQUEST_ID only growing;
 * a second GOAWAY or a non-empty GOAWAY URI received by a server; duplicate track aliases; SUBSCRIBE_UPDATE
 * narrowing; joining fetches only on Largest Object subscriptions; FETCH_OK End Location below the FETCH start;
 * token alias registration, cache size and expiry.
 *
 * <p>Re-encoding is byte-for-byte for anything encoded minimally; the draft only recommends minimal varints
 * (SHOULD), and a peer's non-minimal varints are normalised when we re-encode.
 */
package moq.relay.wire.d14;
