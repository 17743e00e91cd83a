import type { Context } from 'koa';
import { LineCounter, parse as parseYAML, type YAMLError } from 'yaml';
import {
  newBadRequest,
  newRequestEntityTooLarge,
  newUnsupportedMediaType,
} from '../../apiserver/errors/statuserror.js';
import { decodeProtobufEnvelope, PROTOBUF_MEDIA_TYPE } from '../../runtime/protobuf_envelope.js';

/** kube-apiserver's default limit on a request body: 3 MiB. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Media types a request body may use. */
export const ACCEPTED_MEDIA_TYPES = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE];

/** A decoded request body: its type information and, for JSON and YAML, the whole object. */
export interface DecodedBody {
  apiVersion: string;
  kind: string;
  /** The object for JSON and YAML bodies; undefined for protobuf, whose fields are in `raw`. */
  object: Record<string, unknown> | undefined;
  /** The object's own protobuf bytes, for protobuf bodies. */
  raw: Uint8Array | undefined;
}

/**
 * Reads the request body, up to `limit` bytes.
 * @throws StatusError 413 when the body is larger than the limit.
 */
export async function readBody(ctx: Context, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(ctx.get('Content-Length'));
  if (Number.isFinite(declared) && declared > limit) {
    throw newRequestEntityTooLarge(`limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw newRequestEntityTooLarge(`limit is ${limit}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw newBadRequest(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Returns a JSON.parse error message without the excerpt of the body that V8 puts in some
 * messages (`Unexpected token 'a', "…" is not valid JSON`, the excerpt possibly cut with `...`).
 * The message reaches the client and the audit log, and the body may contain a token or a
 * Secret's data. What remains names the character, as kube-apiserver's "invalid character 'a'"
 * does.
 */
function describeJSONError(err: Error): string {
  return err.message.replace(/, .* is not valid JSON$/s, ' in JSON');
}

/**
 * Parses a YAML body. Errors carry the line and column but no excerpt of the body, and
 * warnings (such as an unknown tag) are dropped, because the yaml package would otherwise print
 * them with an excerpt on stderr. Either excerpt could contain a token or a Secret's data.
 * @throws Error with a one-line message.
 */
function parseYAMLBody(text: string): unknown {
  const lineCounter = new LineCounter();
  try {
    return parseYAML(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  } catch (err) {
    const pos = (err as Partial<YAMLError>).pos;
    if (pos === undefined) throw err;
    const { line, col } = lineCounter.linePos(pos[0]);
    throw new Error(`line ${line}, column ${col}: ${(err as Error).message}`, { cause: err });
  }
}

function typeField(object: Record<string, unknown>, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

/**
 * Decodes a request body by its Content-Type: JSON, YAML, or Kubernetes protobuf (which
 * kubectl 1.32 sends for SelfSubjectReview, SelfSubjectAccessReview and TokenRequest).
 * @throws StatusError 415 for another media type, 400 for a body that does not decode.
 */
export function decodeBody(contentType: string, body: Buffer): DecodedBody {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === PROTOBUF_MEDIA_TYPE) {
    try {
      const envelope = decodeProtobufEnvelope(body);
      return {
        apiVersion: envelope.apiVersion,
        kind: envelope.kind,
        object: undefined,
        raw: envelope.raw,
      };
    } catch (err) {
      throw newBadRequest(`unable to decode protobuf body: ${(err as Error).message}`);
    }
  }
  let parsed: unknown;
  if (mediaType === 'application/json' || mediaType === '') {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw newBadRequest(`unable to decode JSON body: ${describeJSONError(err as Error)}`);
    }
  } else if (mediaType === 'application/yaml') {
    try {
      parsed = parseYAMLBody(body.toString('utf8'));
    } catch (err) {
      throw newBadRequest(`unable to decode YAML body: ${(err as Error).message}`);
    }
  } else {
    throw newUnsupportedMediaType(ACCEPTED_MEDIA_TYPES);
  }
  const object = asObject(parsed, 'the request body');
  return {
    apiVersion: typeField(object, 'apiVersion'),
    kind: typeField(object, 'kind'),
    object,
    raw: undefined,
  };
}
