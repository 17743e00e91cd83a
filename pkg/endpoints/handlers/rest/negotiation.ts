/** The form in which a client requested objects. */
export type OutputFormat = 'object' | 'table';

/**
 * Returns 'table' when the Accept header requests meta.k8s.io Tables first, as `kubectl get`
 * does (`application/json;as=Table;v=v1;g=meta.k8s.io,...`), and 'object' otherwise.
 */
export function outputFormat(accept: string): OutputFormat {
  for (const range of accept.split(',')) {
    const [mediaType, ...parameters] = range.split(';').map((part) => part.trim());
    if (mediaType !== 'application/json' && mediaType !== '*/*') continue;
    const params = new Map(
      parameters.map((parameter) => {
        const [key, value] = parameter.split('=');
        return [(key ?? '').trim(), (value ?? '').trim()] as const;
      }),
    );
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io') {
      const version = params.get('v');
      if (version === 'v1' || version === 'v1beta1') return 'table';
      continue;
    }
    if (!params.has('as')) return 'object';
  }
  return 'object';
}
