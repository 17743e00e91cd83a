import { stringify } from 'yaml';

/** Cluster name in generated kubeconfig files. */
export const KUBECONFIG_CLUSTER_NAME = 'mini-kube-apiserver';

/** User name in generated kubeconfig files, matching the CN of the admin client certificate. */
export const KUBECONFIG_USER_NAME = 'admin';

/** Context name in generated kubeconfig files, in kubeadm's `<user>@<cluster>` form. */
export const KUBECONFIG_CONTEXT_NAME = `${KUBECONFIG_USER_NAME}@${KUBECONFIG_CLUSTER_NAME}`;

/** Server address and credentials to write into a kubeconfig. Every credential is optional. */
export interface KubeconfigOptions {
  /** URL of the API server, such as `https://127.0.0.1:6443`. */
  readonly server: string;
  /** PEM bundle of the CA that signed the serving certificate. */
  readonly caPem?: string;
  /** PEM client certificate. Requires clientKeyPem. */
  readonly clientCertPem?: string;
  /** PEM private key of clientCertPem. Requires clientCertPem. */
  readonly clientKeyPem?: string;
  /** Bearer token. */
  readonly token?: string;
  /** Whether the client skips verification of the serving certificate. Excludes caPem. */
  readonly insecureSkipTLSVerify?: boolean;
}

/**
 * Builds a kubeconfig (clientcmd `Config`, apiVersion v1) with one cluster, one user and one
 * current context whose namespace is `default`, and returns it as YAML text.
 *
 * The user gets every credential given. kubectl sends both the client certificate and the token
 * when both are set, and kube-apiserver's union authenticator accepts the first that succeeds.
 * Throws a TypeError when only one of clientCertPem and clientKeyPem is set, or when both caPem
 * and insecureSkipTLSVerify are set, because kubectl rejects such a file.
 */
export function buildKubeconfig(options: KubeconfigOptions): string {
  validateKubeconfigOptions(options);

  const cluster: Record<string, string | boolean> = { server: options.server };
  if (options.caPem !== undefined) {
    cluster['certificate-authority-data'] = toBase64(options.caPem);
  }
  if (options.insecureSkipTLSVerify === true) {
    cluster['insecure-skip-tls-verify'] = true;
  }

  const user: Record<string, string> = {};
  if (options.clientCertPem !== undefined && options.clientKeyPem !== undefined) {
    user['client-certificate-data'] = toBase64(options.clientCertPem);
    user['client-key-data'] = toBase64(options.clientKeyPem);
  }
  if (options.token !== undefined) {
    user['token'] = options.token;
  }

  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBECONFIG_CLUSTER_NAME, cluster }],
    users: [{ name: KUBECONFIG_USER_NAME, user }],
    contexts: [
      {
        name: KUBECONFIG_CONTEXT_NAME,
        context: {
          cluster: KUBECONFIG_CLUSTER_NAME,
          user: KUBECONFIG_USER_NAME,
          namespace: 'default',
        },
      },
    ],
    'current-context': KUBECONFIG_CONTEXT_NAME,
    preferences: {},
  });
}

function validateKubeconfigOptions(options: KubeconfigOptions): void {
  if ((options.clientCertPem === undefined) !== (options.clientKeyPem === undefined)) {
    throw new TypeError('buildKubeconfig: clientCertPem and clientKeyPem must be set together');
  }
  if (options.caPem !== undefined && options.insecureSkipTLSVerify === true) {
    throw new TypeError('buildKubeconfig: caPem and insecureSkipTLSVerify exclude each other');
  }
}

function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
