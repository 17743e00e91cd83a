import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';
import { parseNonNegativeInt } from './flag_values.js';

const HEADING = 'Logging flags:';

/** klog-style verbosity. */
export class LoggingOptions implements OptionGroup {
  verbosity = 0;

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '-v, --v <level>',
      'Number for the log level verbosity: 0-2 info, 3-4 debug (per-request denials and failures), 5 and above trace.',
      (o) => o.default(this.verbosity).argParser(parseNonNegativeInt),
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.verbosity = values.v as number;
  }

  validate(): Error[] {
    return [];
  }
}
