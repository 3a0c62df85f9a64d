/**
 * The development web server ({@code -Dmoq.relay.dev=true}, {@code serve --dev}): HTTP and HTTPS on TCP at the
 * relay's port number, serving the certificate fingerprint browsers need for {@code serverCertificateHashes}, the
 * list of published namespaces, and the chat demo and video-call pages bundled into the jar.
 */
package moq.relay.transport.web;
