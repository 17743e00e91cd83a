import { isIP } from 'node:net';
import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parsePort } from './flag_values.js';

const HEADING =
  'Insecure serving flags (removed from kube-apiserver in 1.24, kept here for tests):';

/** True for 127.0.0.0/8 and ::1. */
export function isLoopback(address: string): boolean {
  return address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

/** Flags of the insecure (plain HTTP, no authentication or authorization) port. */
export class InsecureServingOptions implements OptionGroup {
  insecurePort = 0;
  insecureBindAddress = '127.0.0.1';

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--insecure-port <port>',
      'The port on which to serve unsecured, unauthenticated HTTP. Every request on it acts as system:unsecured in system:masters. 0 turns it off.',
      (o) => o.default(this.insecurePort).argParser(parsePort),
    );
    addFlag(
      command,
      HEADING,
      '--insecure-bind-address <ip>',
      'The loopback IP address on which to serve --insecure-port.',
      (o) => o.default(this.insecureBindAddress),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.insecurePort = values.insecurePort as number;
    this.insecureBindAddress = values.insecureBindAddress as string;
  }

  validate(): Error[] {
    if (this.insecurePort !== 0 && !isLoopback(this.insecureBindAddress)) {
      return [
        new Error(
          `--insecure-bind-address: ${JSON.stringify(this.insecureBindAddress)} is not a loopback address: the insecure port skips authentication, so it may only listen on 127.0.0.0/8 or ::1`,
        ),
      ];
    }
    return [];
  }
}
