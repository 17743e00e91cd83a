import { createSecureContext, type SecureContext } from 'node:tls';
import type { SNICertificate } from './config.js';

/** Returns true when a server name matches a certificate name, which may be `*.domain`. */
export function serverNameMatches(pattern: string, serverName: string): boolean {
  const name = serverName.toLowerCase();
  const candidate = pattern.toLowerCase();
  if (!candidate.startsWith('*.')) return candidate === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot) === candidate.slice(1);
}

/**
 * Builds the SNI callback: the certificate whose names match the requested server name, exact
 * names before wildcards, or the default certificate when none matches.
 */
export function sniCallback(
  certificates: readonly SNICertificate[],
): (serverName: string, done: (err: Error | null, context?: SecureContext) => void) => void {
  const entries = certificates.map((certificate) => ({
    names: certificate.names,
    context: createSecureContext({ cert: certificate.certPem, key: certificate.keyPem }),
  }));
  const lookup = (serverName: string): SecureContext | undefined => {
    const exact = entries.find((entry) =>
      entry.names.some((name) => !name.startsWith('*.') && serverNameMatches(name, serverName)),
    );
    if (exact !== undefined) return exact.context;
    return entries.find((entry) => entry.names.some((name) => serverNameMatches(name, serverName)))
      ?.context;
  };
  return (serverName, done) => done(null, lookup(serverName));
}
