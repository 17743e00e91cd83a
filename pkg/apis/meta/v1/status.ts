/** One cause of a failure, for example a field that failed validation. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** Extra data about a failure: what object it concerned and why. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `Status` object of meta/v1 that kube-apiserver returns for failed requests. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}
