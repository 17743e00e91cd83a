import { Option, type Command } from 'commander';

/** The options of one area of the command line, following kube-apiserver's option lifecycle. */
export interface OptionGroup {
  /** Declares the group's flags on the command, under the group's help heading. */
  addFlags(command: Command): void;
  /** Reads the parsed flag values back from commander. */
  applyFlags(values: Record<string, unknown>): void;
  /** Returns every problem with the values, each message beginning with its flag. */
  validate(): Error[];
}

/** Declares one flag under a help heading. */
export function addFlag(
  command: Command,
  heading: string,
  flags: string,
  description: string,
  configure?: (option: Option) => Option,
): void {
  let option = new Option(flags, description).helpGroup(heading);
  if (configure !== undefined) option = configure(option);
  command.addOption(option);
}
