/**
 * The subset of audit.k8s.io/v1 Event that this server records: who did what to which URI and
 * how it ended. Field names and order follow kube-apiserver's audit log lines.
 */
/** The user of an audit event; empty for a request that failed authentication. */
export interface AuditUser {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion?: string;
  subresource?: string;
}

/** The response's code, and for `Status` responses their status, message and reason. */
export interface ResponseStatus {
  metadata: Record<string, never>;
  status?: string;
  message?: string;
  reason?: string;
  code: number;
}

export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: 'Metadata';
  auditID: string;
  stage: 'ResponseComplete' | 'Panic';
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser?: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: ObjectReference;
  responseStatus: ResponseStatus;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  /** Keys and values that filters add, such as the authorization decision and its reason. */
  annotations?: Record<string, string>;
}

/** Where audit events go. */
export interface AuditBackend {
  processEvent(event: AuditEvent): void;
  /** Flushes and closes the backend; later events are dropped. */
  shutdown(): Promise<void>;
}
