/**
 * "This machine": the embedded default has no bot identity, so it trusts only requests that come from, are
 * addressed to and answer to the machine it runs on. A DNS-rebinding page reaches a loopback port with a
 * foreign Host name, so the Host header is checked as well as the peer address.
 */

/** A loopback peer address (IPv4, IPv6 or IPv4-mapped). */
export const isLoopbackAddress = (address: string | undefined): boolean =>
  address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address ?? '');

/** A host name (without port) that names this machine. */
export const isLoopbackHostname = (hostname: string): boolean => {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
};

/** A Host header (name and optional port) that names this machine; a missing header does not. */
export const isLoopbackHostHeader = (header: string | undefined): boolean => {
  if (!header) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(:\d{1,5})?$/.exec(header.trim());
  return match?.[1] !== undefined && isLoopbackHostname(match[1]);
};

/** An http(s) URL on this machine (the embedded default's service URL: the local Playground or a test channel). */
export const isLoopbackUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
};
