import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Maps a user name onto a few categories, as kube-apiserver does, so the metric neither grows
 * one series per user nor publishes user names: well-known component names stay, names that
 * look like an email become `email_id`, and everything else becomes `other`.
 */
export function compressUsername(name: string): string {
  const known = [
    'admin',
    'client',
    'kube_proxy',
    'kubelet',
    'system:serviceaccount:kube-system:default',
  ];
  if (known.includes(name)) return name;
  if (name.includes('@')) return 'email_id';
  return 'other';
}

/** The authentication filter's metrics, named as in kube-apiserver. */
export class AuthenticationMetrics {
  readonly authenticatedUserRequests: Counter<'username'>;
  readonly attempts: Counter<'result'>;
  readonly duration: Histogram<'result'>;

  /** Registers the metrics into `registry`; nothing is registered globally. */
  constructor(registry: Registry) {
    this.authenticatedUserRequests = new Counter({
      name: 'authenticated_user_requests',
      help: 'Counter of authenticated requests broken out by username.',
      labelNames: ['username'],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'authentication_attempts',
      help: 'Counter of authenticated attempts.',
      labelNames: ['result'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'authentication_duration_seconds',
      help: 'Authentication duration in seconds broken out by result.',
      labelNames: ['result'],
      buckets: [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024],
      registers: [registry],
    });
  }

  /** Records one authentication attempt; `result` is success, failure or error. */
  record(result: 'success' | 'failure' | 'error', seconds: number, userName?: string): void {
    this.attempts.inc({ result });
    this.duration.observe({ result }, seconds);
    if (result === 'success' && userName !== undefined) {
      this.authenticatedUserRequests.inc({ username: compressUsername(userName) });
    }
  }
}
