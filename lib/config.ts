/**
 * Runtime configuration: `temporal.config.yaml` (defaults, committed) overlaid with environment
 * variables (per deployment), validated against one JSON schema. Errors name the key and where the
 * bad value came from, because "invalid config" alone sends people hunting through two sources.
 *
 * Env overrides (empty string = not set):
 *   TEMPORAL_ADDRESS               temporal.address
 *   TEMPORAL_NAMESPACE             temporal.namespace
 *   TEMPORAL_TASK_QUEUE            temporal.taskQueue
 *   TEMPORAL_DEV_PORT              temporal.devServer.port
 *   TEMPORAL_UI_PORT               temporal.devServer.uiPort
 *   TEMPORAL_DB_FILE               temporal.devServer.dbFile (`:memory:` → null, in memory)
 *   TEMPORAL_MAX_CACHED_WORKFLOWS  temporal.worker.maxCachedWorkflows
 *   DATABASE_URL                   database.url
 *   CAUCE_PG_PORT                  database.embeddedPort
 *   HOST                           http.host
 *   PORT                           http.port
 *   CAUCE_TRUST_PROXY_HOPS         http.trustProxyHops
 *   CAUCE_PUBLIC_URL               http.publicUrl
 *   CAUCE_DATA_DIR                 dataDir
 *   SMTP_URL                       mail.smtpUrl
 *   MAIL_FROM                      mail.from
 *   CAUCE_SMTP_SINK_PORT           mail.sinkPort
 *   CAUCE_DOCUMENT_MAX_BYTES       documents.maxBytes
 *   CAUCE_DOCUMENT_STORE           documents.store
 *   CAUCE_S3_BUCKET                documents.s3.bucket
 *   CAUCE_S3_REGION                documents.s3.region
 *   CAUCE_S3_ENDPOINT              documents.s3.endpoint
 *   CAUCE_PAYMENT_GATEWAY          payments.gateway
 *   STRIPE_SECRET_KEY              payments.stripe.secretKey
 *   STRIPE_WEBHOOK_SECRET          payments.stripe.webhookSecret
 *   STRIPE_API_URL                 payments.stripe.apiUrl
 *   PAYPAL_CLIENT_ID               payments.paypal.clientId
 *   PAYPAL_CLIENT_SECRET           payments.paypal.clientSecret
 *   PAYPAL_WEBHOOK_ID              payments.paypal.webhookId
 *   PAYPAL_API_URL                 payments.paypal.apiUrl
 */
import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { createSchemaAjv } from './ajv';

export const SEARCH_ATTRIBUTE_TYPES = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;
export type SearchAttributeTypeName = (typeof SEARCH_ATTRIBUTE_TYPES)[number];

export interface CauceConfig {
  temporal: {
    /** null → start an embedded dev server. */
    address: string | null;
    namespace: string;
    taskQueue: string;
    devServer: {
      port: number;
      uiPort: number;
      /** null → in memory. Defaults to `<dataDir>/temporal.db`. */
      dbFile: string | null;
    };
    searchAttributes: Record<string, SearchAttributeTypeName>;
    worker: {
      maxCachedWorkflows: number;
      maxConcurrentActivityTaskExecutions: number;
      maxConcurrentWorkflowTaskExecutions: number;
    };
    continueAsNewAfterEvents: number;
  };
  http: {
    host: string;
    port: number;
    /** Reverse proxies in front of the API whose X-Forwarded-For is believed (0: the socket's address is the client's). */
    trustProxyHops: number;
    /**
     * Where people reach the web app (the links e-mailed to outside participants point there).
     * null or unset: `http://<host>:<port>`.
     */
    publicUrl?: string | null;
    /** Server-side limits on how long a client may take to send a request (api/http-server.ts). */
    timeouts: { headersMs: number; requestMs: number; keepAliveMs: number; idleSocketMs: number; eventDeliveryMs: number };
  };
  auth: {
    /** Failed sign-ins allowed before a key is refused with 429 for `blockSeconds` (api/auth/login-limits.ts). */
    loginLimits: { perUserAndAddress: LoginLimit; perAddress: LoginLimit };
    /** Submissions of the public forms (the prospect intake) one address may make; `failures` counts every submission. */
    publicFormsPerAddress: LoginLimit;
    /** Support tickets one portal customer may open (`failures` counts each one): the portal is open to every customer. */
    portalTicketsPerCustomer: LoginLimit;
    /** How often the API deletes expired sessions and login-failure counters. */
    housekeepingMinutes: number;
  };
  database: {
    /** null → start an embedded Postgres under `<dataDir>/postgres`. */
    url: string | null;
    embeddedPort: number;
  };
  mail: {
    /** smtp(s):// of the relay the worker sends through. null → `npm start` runs the local sink (lib/mail/sink.ts). */
    smtpUrl: string | null;
    /** The From of every message; its domain also names the Message-IDs. */
    from: string;
    /** Port of the embedded SMTP sink (`npm start` only, when smtpUrl is null). */
    sinkPort: number;
  };
  /** Uploaded documents (api/documents). */
  documents: {
    /** The largest upload accepted; larger is refused with 413. */
    maxBytes: number;
    /** Where the bytes are kept: `postgres` (default) or an S3-compatible bucket (`s3`). */
    store: 'postgres' | 's3';
    /**
     * The bucket when `store` is `s3`. Credentials are never configuration: the AWS SDK reads them from
     * its usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance role).
     */
    s3: {
      bucket: string | null;
      region: string;
      /** null → AWS itself; else the S3-compatible server (MinIO, Ceph, R2…), e.g. `http://minio:9000`. */
      endpoint: string | null;
      /** Bucket in the path (`endpoint/bucket/key`), as most S3-compatible servers want. */
      forcePathStyle: boolean;
      /** Put before every key, e.g. `cauce/`. */
      prefix: string;
    };
  };
  /**
   * The payment gateway customers pay invoices through (lib/payments). Keys and secrets belong in the
   * environment, never in the committed file: a gateway whose keys are missing is off.
   */
  payments: {
    /** The gateway invoice payments are opened with; `none`: invoices are paid by other means. */
    gateway: 'stripe' | 'paypal' | 'none';
    stripe: {
      secretKey: string | null;
      /** The signing secret of the webhook endpoint (`whsec_…`). */
      webhookSecret: string | null;
      /** A Stripe-compatible API (stripe-mock in the tests); null: Stripe itself. */
      apiUrl: string | null;
    };
    paypal: {
      clientId: string | null;
      clientSecret: string | null;
      /** The id PayPal gave the webhook, which its signature verification needs. */
      webhookId: string | null;
      apiUrl: string;
    };
  };
  dataDir: string;
}

export interface LoginLimit {
  failures: number;
  windowSeconds: number;
  blockSeconds: number;
}

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly source: string,
    readonly detail: string,
  ) {
    super(`${key} (from ${source}): ${detail}`);
    this.name = 'ConfigError';
  }
}

const port = { type: 'integer', minimum: 1, maximum: 65535 };
const positive = { type: 'integer', minimum: 1 };
const name = { type: 'string', minLength: 1 };
const strict = { type: 'object', additionalProperties: false };
const loginLimit = {
  ...strict,
  required: ['failures', 'windowSeconds', 'blockSeconds'],
  properties: { failures: positive, windowSeconds: positive, blockSeconds: positive },
};

const schema = {
  ...strict,
  required: ['temporal', 'http', 'auth', 'database', 'mail', 'documents', 'payments', 'dataDir'],
  properties: {
    temporal: {
      ...strict,
      required: ['address', 'namespace', 'taskQueue', 'devServer', 'searchAttributes', 'worker', 'continueAsNewAfterEvents'],
      properties: {
        address: { type: ['string', 'null'], pattern: '^[^\\s/]+:[0-9]{1,5}$' },
        namespace: name,
        taskQueue: name,
        devServer: {
          ...strict,
          required: ['port', 'uiPort', 'dbFile'],
          properties: { port, uiPort: port, dbFile: { type: ['string', 'null'], minLength: 1 } },
        },
        searchAttributes: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          additionalProperties: { enum: SEARCH_ATTRIBUTE_TYPES },
        },
        worker: {
          ...strict,
          required: ['maxCachedWorkflows', 'maxConcurrentActivityTaskExecutions', 'maxConcurrentWorkflowTaskExecutions'],
          properties: {
            maxCachedWorkflows: { type: 'integer', minimum: 0 },
            maxConcurrentActivityTaskExecutions: positive,
            maxConcurrentWorkflowTaskExecutions: { type: 'integer', minimum: 2 },
          },
        },
        continueAsNewAfterEvents: { type: 'integer', minimum: 100 },
      },
    },
    http: {
      ...strict,
      required: ['host', 'port', 'trustProxyHops', 'timeouts'],
      properties: {
        host: name,
        port,
        trustProxyHops: { type: 'integer', minimum: 0 },
        publicUrl: { type: ['string', 'null'], pattern: '^https?://' },
        timeouts: {
          ...strict,
          required: ['headersMs', 'requestMs', 'keepAliveMs', 'idleSocketMs', 'eventDeliveryMs'],
          properties: { headersMs: positive, requestMs: positive, keepAliveMs: positive, idleSocketMs: positive, eventDeliveryMs: positive },
        },
      },
    },
    auth: {
      ...strict,
      required: ['loginLimits', 'publicFormsPerAddress', 'portalTicketsPerCustomer', 'housekeepingMinutes'],
      properties: {
        loginLimits: {
          ...strict,
          required: ['perUserAndAddress', 'perAddress'],
          properties: { perUserAndAddress: loginLimit, perAddress: loginLimit },
        },
        publicFormsPerAddress: loginLimit,
        portalTicketsPerCustomer: loginLimit,
        housekeepingMinutes: positive,
      },
    },
    database: {
      ...strict,
      required: ['url', 'embeddedPort'],
      properties: {
        url: { type: ['string', 'null'], pattern: '^postgres(ql)?://' },
        embeddedPort: port,
      },
    },
    mail: {
      ...strict,
      required: ['smtpUrl', 'from', 'sinkPort'],
      properties: {
        smtpUrl: { type: ['string', 'null'], pattern: '^smtps?://' },
        from: name,
        sinkPort: port,
      },
    },
    documents: {
      ...strict,
      required: ['maxBytes', 'store', 's3'],
      properties: {
        maxBytes: positive,
        store: { enum: ['postgres', 's3'] },
        s3: {
          ...strict,
          required: ['bucket', 'region', 'endpoint', 'forcePathStyle', 'prefix'],
          properties: {
            bucket: { type: ['string', 'null'], minLength: 1 },
            region: name,
            endpoint: { type: ['string', 'null'], pattern: '^https?://' },
            forcePathStyle: { type: 'boolean' },
            prefix: { type: 'string' },
          },
        },
      },
      // The bucket is required once the store is s3.
      if: { properties: { store: { const: 's3' } } },
      then: { properties: { s3: { type: 'object', properties: { bucket: { type: 'string', description: 'must name the bucket when documents.store is s3' } } } } },
    },
    payments: {
      ...strict,
      required: ['gateway', 'stripe', 'paypal'],
      properties: {
        gateway: { enum: ['stripe', 'paypal', 'none'] },
        stripe: {
          ...strict,
          required: ['secretKey', 'webhookSecret', 'apiUrl'],
          properties: {
            secretKey: { type: ['string', 'null'], minLength: 1 },
            webhookSecret: { type: ['string', 'null'], minLength: 1 },
            apiUrl: { type: ['string', 'null'], pattern: '^https?://' },
          },
        },
        paypal: {
          ...strict,
          required: ['clientId', 'clientSecret', 'webhookId', 'apiUrl'],
          properties: {
            clientId: { type: ['string', 'null'], minLength: 1 },
            clientSecret: { type: ['string', 'null'], minLength: 1 },
            webhookId: { type: ['string', 'null'], minLength: 1 },
            apiUrl: { type: 'string', pattern: '^https?://' },
          },
        },
      },
    },
    dataDir: name,
  },
} as const;

type Coerce = 'string' | 'int' | 'nullable';
const ENV: Array<[variable: string, key: string, coerce: Coerce]> = [
  ['TEMPORAL_ADDRESS', 'temporal.address', 'string'],
  ['TEMPORAL_NAMESPACE', 'temporal.namespace', 'string'],
  ['TEMPORAL_TASK_QUEUE', 'temporal.taskQueue', 'string'],
  ['TEMPORAL_DEV_PORT', 'temporal.devServer.port', 'int'],
  ['TEMPORAL_UI_PORT', 'temporal.devServer.uiPort', 'int'],
  ['TEMPORAL_DB_FILE', 'temporal.devServer.dbFile', 'nullable'],
  ['TEMPORAL_MAX_CACHED_WORKFLOWS', 'temporal.worker.maxCachedWorkflows', 'int'],
  ['DATABASE_URL', 'database.url', 'string'],
  ['CAUCE_PG_PORT', 'database.embeddedPort', 'int'],
  ['HOST', 'http.host', 'string'],
  ['PORT', 'http.port', 'int'],
  ['CAUCE_TRUST_PROXY_HOPS', 'http.trustProxyHops', 'int'],
  ['CAUCE_PUBLIC_URL', 'http.publicUrl', 'nullable'],
  ['CAUCE_DATA_DIR', 'dataDir', 'string'],
  ['SMTP_URL', 'mail.smtpUrl', 'string'],
  ['MAIL_FROM', 'mail.from', 'string'],
  ['CAUCE_SMTP_SINK_PORT', 'mail.sinkPort', 'int'],
  ['CAUCE_DOCUMENT_MAX_BYTES', 'documents.maxBytes', 'int'],
  ['CAUCE_DOCUMENT_STORE', 'documents.store', 'string'],
  ['CAUCE_S3_BUCKET', 'documents.s3.bucket', 'string'],
  ['CAUCE_S3_REGION', 'documents.s3.region', 'string'],
  ['CAUCE_S3_ENDPOINT', 'documents.s3.endpoint', 'string'],
  ['CAUCE_PAYMENT_GATEWAY', 'payments.gateway', 'string'],
  ['STRIPE_SECRET_KEY', 'payments.stripe.secretKey', 'string'],
  ['STRIPE_WEBHOOK_SECRET', 'payments.stripe.webhookSecret', 'string'],
  ['STRIPE_API_URL', 'payments.stripe.apiUrl', 'string'],
  ['PAYPAL_CLIENT_ID', 'payments.paypal.clientId', 'string'],
  ['PAYPAL_CLIENT_SECRET', 'payments.paypal.clientSecret', 'string'],
  ['PAYPAL_WEBHOOK_ID', 'payments.paypal.webhookId', 'string'],
  ['PAYPAL_API_URL', 'payments.paypal.apiUrl', 'string'],
];

const validate = createSchemaAjv({ ownSchema: true }).compile(schema);

const fileCache = new Map<string, unknown>();

function readFile(file: string): unknown {
  const absolute = path.resolve(path.join(__dirname, '..'), file);
  if (!fileCache.has(absolute)) {
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (err) {
      throw new ConfigError('(file)', file, `cannot read: ${(err as Error).message}`);
    }
    const doc = YAML.parseDocument(text);
    if (doc.errors.length > 0) throw new ConfigError('(file)', file, `invalid YAML: ${doc.errors[0].message}`);
    fileCache.set(absolute, doc.toJS() ?? {});
  }
  return structuredClone(fileCache.get(absolute));
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

function coerce(raw: string, how: Coerce): unknown {
  if (how === 'int') return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (how === 'nullable' && raw === ':memory:') return null;
  return raw;
}

function describe(error: ErrorObject): string {
  const s = (error.parentSchema ?? {}) as Record<string, unknown>;
  const got = `got ${JSON.stringify(error.data)}`;
  if (error.keyword === 'additionalProperties') return 'unknown key';
  if (error.keyword === 'required') return 'missing';
  if (error.keyword === 'propertyNames') return `names must be identifiers, ${got}`;
  if (s.enum) return `must be one of ${(s.enum as string[]).join(', ')}, ${got}`;
  if (s.type === 'integer') {
    const range = s.maximum !== undefined ? ` ${s.minimum}-${s.maximum}` : s.minimum !== undefined ? ` >= ${s.minimum}` : '';
    return `must be an integer${range}, ${got}`;
  }
  if (typeof s.description === 'string') return `${s.description}, ${got}`;
  if (s.type === 'boolean') return `must be true or false, ${got}`;
  if (s.pattern === '^postgres(ql)?://') return `must be a postgres:// URL or null, ${got}`;
  if (s.pattern === '^smtps?://') return `must be an smtp:// or smtps:// URL or null, ${got}`;
  if (s.pattern === '^https?://') return `must be an http:// or https:// URL or null, ${got}`;
  if (s.pattern) return `must look like host:port or be null, ${got}`;
  const nullable = Array.isArray(s.type) && s.type.includes('null') ? ' or null' : '';
  return `must be a non-empty string${nullable}, ${got}`;
}

/**
 * The effective configuration. The YAML file (relative to the repository root) is read once per
 * process; `env` is applied on every call so tests can pass their own.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file = 'temporal.config.yaml'): CauceConfig {
  const config = readFile(file);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError('(root)', file, 'must be a mapping');
  }
  const sources = new Map<string, string>();
  for (const [variable, key, how] of ENV) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    setPath(config as Record<string, unknown>, key, coerce(raw, how));
    sources.set(key, variable);
  }
  // dbFile follows dataDir unless set explicitly, so CAUCE_DATA_DIR moves all local state at once.
  const temporal = (config as { temporal?: { devServer?: Record<string, unknown> } }).temporal;
  if (temporal?.devServer && !('dbFile' in temporal.devServer)) {
    const dataDir = (config as { dataDir?: unknown }).dataDir;
    if (typeof dataDir === 'string') temporal.devServer.dbFile = path.join(dataDir, 'temporal.db');
  }

  if (!validate(config)) {
    const error = validate.errors![0];
    const child = error.params.additionalProperty ?? error.params.missingProperty;
    const key = [...error.instancePath.slice(1).split('/').filter(Boolean), ...(child ? [child] : [])].join('.') || '(root)';
    throw new ConfigError(key, sources.get(key) ?? file, describe(error));
  }
  return deepFreeze(config as unknown as CauceConfig);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Where the web app is when nothing says otherwise (the API's default address): what activities link to in tests. */
export const LOCAL_PUBLIC_URL = 'http://127.0.0.1:3000';

/** A page or endpoint of the web app at `publicUrl` (`path` starts with /): the one way links are built. */
export const appUrl = (publicUrl: string, path: string): string => `${publicUrl.replace(/\/+$/, '')}${path}`;

/** The web app's address as people reach it (http.publicUrl, else the address the API listens on). */
export function publicUrlOf(config: Pick<CauceConfig, 'http'>): string {
  return config.http.publicUrl ?? `http://${config.http.host}:${config.http.port}`;
}

/** An SMTP relay URL without its password, for the start-up banner and /healthz. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable SMTP_URL)';
  }
}
