import type { Context } from 'koa';

/** The Kubernetes release whose API this server imitates. */
export const KUBERNETES_MAJOR = '1';
export const KUBERNETES_MINOR = '32';
export const GIT_VERSION = 'v1.32.4';

/** The body of /version, in kube-apiserver's field order (k8s.io/apimachinery version.Info). */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

const ARCHITECTURES: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386' };

/**
 * Returns the version this server reports. minor must stay "32": kubectl's dispatcher picks
 * which kubectl binary runs from it, and 1.32's is the one this server is tested with.
 * Differs from kube-apiserver: goVersion and compiler name the Node.js runtime and TypeScript.
 */
export function versionInfo(): VersionInfo {
  return {
    major: KUBERNETES_MAJOR,
    minor: KUBERNETES_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${ARCHITECTURES[process.arch] ?? process.arch}`,
  };
}

/** Serves GET /version as kube-apiserver does: indented JSON without a trailing newline. */
export function serveVersion(ctx: Context): void {
  ctx.status = 200;
  ctx.set('Content-Type', 'application/json');
  ctx.body = JSON.stringify(versionInfo(), null, 2);
}
