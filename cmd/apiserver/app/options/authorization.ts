import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseList } from './flag_values.js';

const HEADING = 'Authorization flags:';

/** Authorization modes this server implements. */
export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

/** Flags that choose the authorizers. */
export class AuthorizationOptions implements OptionGroup {
  modes: string[] = ['AlwaysAllow'];

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--authorization-mode <modes>',
      `Ordered list of plug-ins to do authorization on the secure port, comma-separated: ${AUTHORIZATION_MODES.join(', ')}. The first plug-in that allows or denies decides. Members of system:masters are always allowed, as in kube-apiserver.`,
      (o) =>
        o
          .default(['AlwaysAllow'], 'AlwaysAllow')
          .argParser((value: string) => parseList(value, [])),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.modes = values.authorizationMode as string[];
  }

  validate(): Error[] {
    const errors: Error[] = [];
    if (this.modes.length === 0) {
      errors.push(
        new Error('--authorization-mode: at least one authorization mode must be passed'),
      );
    }
    const seen = new Set<string>();
    for (const mode of this.modes) {
      if (!(AUTHORIZATION_MODES as readonly string[]).includes(mode)) {
        errors.push(
          new Error(
            `--authorization-mode: authorization mode ${JSON.stringify(mode)} is not supported: use ${AUTHORIZATION_MODES.join(', ')}`,
          ),
        );
      } else if (seen.has(mode)) {
        errors.push(
          new Error(
            `--authorization-mode: authorization mode ${JSON.stringify(mode)} is given twice`,
          ),
        );
      }
      seen.add(mode);
    }
    return errors;
  }
}
