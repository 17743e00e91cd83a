import type { Command } from 'commander';
import { addFlag, type OptionGroup } from './flag_group.js';

const HEADING = 'Audit flags:';

/** Flags of the audit log. */
export class AuditOptions implements OptionGroup {
  logPath = '';

  addFlags(command: Command): void {
    addFlag(
      command,
      HEADING,
      '--audit-log-path <file>',
      'If set, all requests coming to the apiserver will be logged to this file as audit.k8s.io/v1 events, one JSON line each. "-" means standard out.',
    );
  }

  applyFlags(values: Record<string, unknown>): void {
    this.logPath = (values.auditLogPath as string | undefined) ?? '';
  }

  validate(): Error[] {
    return [];
  }
}
