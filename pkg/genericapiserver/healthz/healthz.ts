import type { Context } from 'koa';
import { writePlainTextError } from '../../endpoints/responsewriters/writers.js';

/** A named health check. `check` throws or rejects to report a failure. */
export interface HealthCheck {
  readonly name: string;
  readonly check: () => void | Promise<void>;
}

/** The ping check: the server serves requests at all. */
export const pingCheck: HealthCheck = { name: 'ping', check: () => undefined };

/** Returns a readyz check that fails once the server starts shutting down. */
export function shutdownCheck(isShuttingDown: () => boolean): HealthCheck {
  return {
    name: 'shutdown',
    check() {
      if (isShuttingDown()) throw new Error('process is shutting down');
    },
  };
}

interface CheckOutcome {
  name: string;
  excluded: boolean;
  error: Error | undefined;
}

async function runChecks(
  checks: readonly HealthCheck[],
  excluded: Set<string>,
): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const { name, check } of checks) {
    if (excluded.has(name)) {
      outcomes.push({ name, excluded: true, error: undefined });
      continue;
    }
    try {
      await check();
      outcomes.push({ name, excluded: false, error: undefined });
    } catch (err) {
      outcomes.push({
        name,
        excluded: false,
        error: err instanceof Error ? err : new Error(String(err)),
      });
    }
  }
  return outcomes;
}

function outcomeLine({ name, excluded, error }: CheckOutcome): string {
  if (excluded) return `[+]${name} excluded: ok`;
  if (error !== undefined) return `[-]${name} failed: reason withheld`;
  return `[+]${name} ok`;
}

function writeText(ctx: Context, body: string): void {
  ctx.status = 200;
  ctx.set('Content-Type', 'text/plain; charset=utf-8');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = body;
}

/**
 * Serves /healthz, /livez or /readyz as kube-apiserver does: `ok` when every check passes, a
 * line per check with ?verbose, checks skipped with ?exclude=NAME, and a plain-text 500 that
 * lists the checks (failure reasons withheld from the client, logged instead) when one fails.
 */
export async function serveHealth(
  ctx: Context,
  endpoint: string,
  checks: readonly HealthCheck[],
  onFailure: (name: string, err: Error) => void,
): Promise<void> {
  const query = new URLSearchParams(ctx.querystring);
  const excluded = new Set(query.getAll('exclude'));
  const outcomes = await runChecks(checks, excluded);
  const lines = outcomes.map(outcomeLine);
  const unmatched = [...excluded]
    .filter((name) => !checks.some((check) => check.name === name))
    .sort();
  if (unmatched.length > 0) {
    const names = unmatched.map((name) => JSON.stringify(name)).join(',');
    lines.push(`warn: some health checks cannot be excluded: no matches for ${names}`);
  }
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  for (const outcome of failed) onFailure(outcome.name, outcome.error!);
  if (failed.length > 0) {
    writePlainTextError(ctx, 500, `${lines.join('\n')}\n${endpoint} check failed`);
    return;
  }
  if (!query.has('verbose')) {
    writeText(ctx, 'ok');
    return;
  }
  writeText(ctx, `${lines.join('\n')}\n${endpoint} check passed\n`);
}

/** Serves one check at /<endpoint>/<name>: `ok`, or a plain-text 500 naming the error. */
export async function serveSingleCheck(ctx: Context, check: HealthCheck): Promise<void> {
  try {
    await check.check();
  } catch (err) {
    writePlainTextError(ctx, 500, `internal server error: ${(err as Error).message}`);
    return;
  }
  writeText(ctx, 'ok');
}
