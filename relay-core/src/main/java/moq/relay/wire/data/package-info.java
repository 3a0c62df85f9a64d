/**
 * The data plane of every draft: subgroup streams, fetch streams and object datagrams, decoded incrementally without
 * allocation ({@link moq.relay.wire.data.DataStreamDecoder}, {@link moq.relay.wire.data.ObjectDatagram}) and encoded
 * into caller buffers ({@link moq.relay.wire.data.SubgroupStreamEncoder}, {@link
 * moq.relay.wire.data.FetchStreamEncoder}, {@link moq.relay.wire.data.ObjectDatagramEncoder}).
 *
 * <p>Draft-20 has draft-18's layouts (its Type Flags bitfields admit exactly draft-18's datagram and subgroup header
 * types, an unspecified bit being a PROTOCOL_VIOLATION in both), so the code keys on {@code Draft.atLeast(18)}; its
 * one addition is the fetch stream's End of Timed-Out Range (0x20C, draft-21 §11.4.1.2), reported by {@link
 * moq.relay.wire.data.DataStreamHandler#onEndOfTimedOutRange} and written by {@link
 * moq.relay.wire.data.FetchStreamEncoder#writeEndOfTimedOutRange}, and on a draft-18 stream still "any other value".
 *
 * <p>Readings of text that is ambiguous:
 * <ul>
 *   <li><b>Draft-18 fetch End of Range (0x8C, 0x10C) is {@code Serialization Flags, Group ID, Object ID}: absolute
 *       ids and no Object Payload Length.</b> Both {@link moq.relay.wire.data.FetchStreamEncoder#writeEndOfRange} and
 *       {@link moq.relay.wire.data.DataStreamDecoder} use this form, to every peer.
 *       <p>The text: §"Fetch Header" lists Object Payload Length unbracketed in the Fetch Object fields, and
 *       §"End of Range" says only that "the Group ID and Object ID fields are present. Subgroup ID, Priority and
 *       Properties are not present", naming neither the Payload Length nor a payload. Drafts 18, 19 and 21
 *       (§11.4.1.2, which adds 0x20C) carry the same words. Read field by field, the figure keeps a Payload Length;
 *       read as what the section describes, an indicator that stands for objects not serialized and carries a
 *       Location, it has none. moq-wg/moq-transport#1861 asks exactly this and reports that implementations agree
 *       on no Payload Length.
 *       <p>Implementations: without a Payload Length, Google's quiche MoQT parser (back to Serialization Flags after
 *       the indicator's Object ID), moqtail, Eyevinn moqtransport (which also names moxygen, moq-go and aiomoqt) and
 *       shiguredo's moqt-js (up to draft 21); with one (writing 0, reading and skipping it), only
 *       {@code @moqt/transport} 0.5.7, the cross-check oracle (its README §4.11). {@code @moq/net} 0.3.4, the
 *       draft-18 browser client, has no fetch-stream reader at all (every unidirectional stream is parsed as a
 *       subgroup header, so a FETCH_HEADER fails there) and never writes an End of Range; moq-dev's current
 *       {@code js/net} source is the same.
 *       <p>Not keyed on the peer: no client the relay serves reads the other form, and the one that writes it,
 *       {@code @moqt/transport}, sends no MOQT_IMPLEMENTATION unless its user sets one, so a quirk could not
 *       recognise it. The two forms cannot be told apart on receipt (the other form's trailing 0x00 is valid
 *       Serialization Flags for an object following the range), so the decoder accepts exactly one.</li>
 *   <li>Draft-18 fetch objects after an End of Range take the prior Group and Object IDs from it, and the prior
 *       Subgroup ID and Priority from the last actual object (§"End of Range"); an object with the Datagram flag has
 *       no Subgroup ID for the next object to refer to.</li>
 * </ul>
 */
package moq.relay.wire.data;
