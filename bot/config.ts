/**
 * Every setting, read from the environment (and a local .env file) and validated once at start.
 * A bad or missing value stops the start with a message that names the setting.
 * No tenant configured (no MicrosoftAppId) means the embedded default: SQLite, sample content, no network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { roleSchema } from './platform/org/model';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const list = z
  .string()
  .trim()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  )
  .optional();

const guid = z
  .string()
  .trim()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'a GUID such as 00000000-0000-0000-0000-000000000000',
  );

/** The roles an Entra group can give (everyone is an employee; the rest come from groups). */
const groupRole = roleSchema.exclude(['employee']);
const GROUP_ROLES = groupRole.options;
export type GroupRole = z.infer<typeof groupRole>;

/**
 * Roles from Entra groups: `role=groupId[,groupId…]` entries separated by `;`, e.g.
 * `securityChief=<guid>;headOfAdministration=<guid>,<guid>`. Members through nested groups count.
 */
const roleGroups = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const out: Partial<Record<GroupRole, string[]>> = {};
    for (const entry of s
      .split(';')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [role, ids = ''] = entry.split('=').map((p) => p.trim());
      if (!GROUP_ROLES.includes(role as GroupRole)) {
        ctx.addIssue({
          code: 'custom',
          message: `role=groupId;… with a role among ${GROUP_ROLES.join(', ')} ("${role}" is not one)`,
        });
        return z.NEVER;
      }
      const groupIds = ids
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const bad = groupIds.find((id) => !guid.safeParse(id).success);
      if (groupIds.length === 0 || bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${role}= followed by Entra group ids (GUIDs) separated by commas${bad ? ` ("${bad}" is not a GUID)` : ''}`,
        });
        return z.NEVER;
      }
      out[role as GroupRole] = [...(out[role as GroupRole] ?? []), ...groupIds];
    }
    return out;
  });

/** A comma-separated list of whole days, e.g. "14,3". */
const days = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\s*,\s*\d{1,3})*$/, 'whole days separated by commas, e.g. 14,3')
  .transform((s) => s.split(',').map((d) => Number(d.trim())));

/** A retention time (gallringsfrist): `never`, or a whole number of days, months or years, e.g. 90d, 18m, 5y. */
const retention = z
  .string()
  .trim()
  .regex(/^(never|\d{1,4}[dmy])$/, 'never, or a number of days, months or years such as 90d, 18m or 5y')
  .transform((s): Retention => {
    if (s === 'never') return 'never';
    return { amount: Number(s.slice(0, -1)), unit: s.slice(-1) as 'd' | 'm' | 'y' };
  });

/** The organisation's own deviation system or servicedesk per report kind: `incident=https://…;deficiency=https://…`. */
const reportKindNames = [
  'risk',
  'deficiency',
  'incident',
  'personalDataIncident',
  'threatOrViolence',
  'other',
] as const;
const reportLinks = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const out: Partial<Record<(typeof reportKindNames)[number], string>> = {};
    for (const entry of s
      .split(';')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const at = entry.indexOf('=');
      const kind = entry.slice(0, at).trim() as (typeof reportKindNames)[number];
      const url = entry.slice(at + 1).trim();
      if (
        at < 0 ||
        !reportKindNames.includes(kind) ||
        !z.url({ protocol: /^https?$/ }).safeParse(url).success
      ) {
        ctx.addIssue({
          code: 'custom',
          message: `kind=https-URL entries separated by ;, kinds among ${reportKindNames.join(', ')}`,
        });
        return z.NEVER;
      }
      out[kind] = url;
    }
    return out;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int('a whole number').min(0).max(65535).default(3978),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MicrosoftAppId: optionalString.pipe(guid.optional()),
    MicrosoftAppPassword: optionalString,
    MicrosoftAppTenantId: optionalString.pipe(guid.optional()),
    MicrosoftAppType: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).optional(),
    BotOpenIdMetadata: optionalString.pipe(
      z.url('the URL of the Bot Connector OpenID metadata document').optional(),
    ),
    VARN_PUBLIC_URL: optionalString.pipe(z.url('the public https URL of this service').optional()),
    VARN_DATA_DIR: z.string().default('./data'),
    VARN_DB_PATH: optionalString,
    VARN_CONTENT_DIR: z.string().default('./content'),
    VARN_KNOWLEDGE_DIR: optionalString,
    VARN_SECURITY_FUNCTION: list,
    VARN_MAX_QUESTION_CHARS: z.coerce.number().int().min(20).max(4000).default(500),
    VARN_REVIEW_REMINDER_DAYS: days.default([14, 3]),
    VARN_REVIEW_ESCALATION_DAYS: days.default([1, 7]),
    VARN_FOLLOWUP_OVERDUE_DAYS: days
      .refine(
        (d) => d.length === 2,
        'two numbers: days after the due date to remind the owner, then the manager',
      )
      .default([1, 8]),
    VARN_REPORT_HANDLING_DAYS: z.coerce.number().int('a whole number of days').min(1).max(365).default(7),
    VARN_REPORT_ESCALATION_DAYS: z.coerce.number().int('a whole number of days').min(1).max(365).default(7),
    VARN_REPORT_LINKS: reportLinks.optional(),
    VARN_RETENTION_REPORTS: retention.default({ amount: 5, unit: 'y' }),
    VARN_RETENTION_QUESTIONS: retention.default({ amount: 2, unit: 'y' }),
    VARN_RETENTION_QUIZ_ANSWERS: retention.default({ amount: 1, unit: 'y' }),
    VARN_RETENTION_AUDIT: retention.default({ amount: 10, unit: 'y' }),
    AZURE_OPENAI_ENDPOINT: optionalString.pipe(
      z.url('an https URL such as https://myres.openai.azure.com').optional(),
    ),
    AZURE_OPENAI_API_KEY: optionalString,
    AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,
    VARN_TEAMS_SERVICE_URL: z
      .url('the Bot Connector service URL of the tenant')
      .default('https://smba.trafficmanager.net/teams/'),
    VARN_SCHEDULER_POLL_SECONDS: z.coerce
      .number()
      .min(0.01, 'a number of seconds above 0')
      .max(3600)
      .default(60),
    VARN_SENDER_LEASE_SECONDS: z.coerce
      .number()
      .int('a whole number of seconds')
      .min(1, 'a number of seconds from 1')
      .max(86_400, 'at most 86400 seconds (a day)')
      .default(120),
    AZURE_OPENAI_CHAT_DEPLOYMENT: optionalString,
    AZURE_OPENAI_API_VERSION: z.string().default('2024-10-21'),
    VARN_SHAREPOINT_SITE: optionalString.pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\/[^/\s]\S*|,[0-9a-fA-F-]{36},[0-9a-fA-F-]{36})?$/,
          'the site as host:/path (contoso.sharepoint.com:/sites/security) or its Graph id',
        )
        .optional(),
    ),
    VARN_GRAPH_TENANT_ID: optionalString.pipe(guid.optional()),
    VARN_GRAPH_CLIENT_ID: optionalString.pipe(guid.optional()),
    VARN_GRAPH_CERTIFICATE_PATH: optionalString,
    VARN_GRAPH_CLIENT_SECRET: optionalString,
    VARN_GRAPH_AUTHORITY_HOST: z
      .url('an https URL such as https://login.microsoftonline.com')
      .default('https://login.microsoftonline.com'),
    VARN_GRAPH_BASE_URL: z
      .url('a URL such as https://graph.microsoft.com')
      .default('https://graph.microsoft.com'),
    VARN_SHAREPOINT_PROVISION: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], 'true or false')
      .default('false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
    VARN_DIRECTORY: z.enum(['file', 'graph'], 'file or graph').default('file'),
    VARN_DIRECTORY_ROLE_GROUPS: optionalString.pipe(roleGroups.optional()),
    VARN_DIRECTORY_GROUPS: list.pipe(z.array(guid, 'Entra group ids (GUIDs) separated by commas').optional()),
    VARN_DIRECTORY_REFRESH_MINUTES: z.coerce
      .number('a number of minutes')
      .min(1, 'at least 1 minute')
      .max(1440, 'at most 1440 minutes (a day)')
      .default(60),
    VARN_DIRECTORY_ORGANISATION_NAME: optionalString,
    VARN_TEAMS_APP_CATALOG_ID: optionalString.pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9-]+$/,
          "the app's id in the organisation's app catalog (teamsApp id, not the manifest id)",
        )
        .optional(),
    ),
    VARN_TAB_CLIENT_ID: optionalString.pipe(guid.optional()),
    VARN_TAB_APP_ID_URI: optionalString.pipe(
      z
        .string()
        .startsWith('api://', 'an application ID URI such as api://varn.example.se/<client id>')
        .optional(),
    ),
    VARN_TAB_JWKS_URL: optionalString.pipe(z.url('the https URL of the signing keys (JWKS)').optional()),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId) {
      if (!env.MicrosoftAppType || env.MicrosoftAppType === 'MultiTenant') {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppType'],
          message:
            'SingleTenant or UserAssignedMSI when MicrosoftAppId is set (new multi-tenant bot registrations are no longer possible)',
        });
      }
      if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppTenantId'],
          message: 'the tenant id (a GUID) for a SingleTenant bot',
        });
      }
      if (env.MicrosoftAppType === 'SingleTenant' && !env.MicrosoftAppPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['MicrosoftAppPassword'],
          message: 'the client secret of the SingleTenant bot',
        });
      }
    }
    if (env.VARN_SHAREPOINT_SITE) {
      if (!(env.VARN_GRAPH_TENANT_ID ?? env.MicrosoftAppTenantId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['VARN_GRAPH_TENANT_ID'],
          message: 'the tenant id (a GUID) of the SharePoint site (or MicrosoftAppTenantId)',
        });
      }
      if (!(env.VARN_GRAPH_CLIENT_ID ?? env.MicrosoftAppId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['VARN_GRAPH_CLIENT_ID'],
          message:
            'the app registration (client id, a GUID) that reads and writes the site (or MicrosoftAppId)',
        });
      }
      if (!env.VARN_GRAPH_CERTIFICATE_PATH && !(env.VARN_GRAPH_CLIENT_SECRET ?? env.MicrosoftAppPassword)) {
        ctx.addIssue({
          code: 'custom',
          path: ['VARN_GRAPH_CERTIFICATE_PATH'],
          message:
            'a PEM file with the private key and certificate of the app registration, or VARN_GRAPH_CLIENT_SECRET',
        });
      }
      if (env.VARN_GRAPH_CERTIFICATE_PATH && !fs.existsSync(env.VARN_GRAPH_CERTIFICATE_PATH)) {
        ctx.addIssue({
          code: 'custom',
          path: ['VARN_GRAPH_CERTIFICATE_PATH'],
          message: 'a readable PEM file (no file at that path)',
        });
      }
    }
    if (env.VARN_DIRECTORY === 'graph' && !env.VARN_SHAREPOINT_SITE) {
      ctx.addIssue({
        code: 'custom',
        path: ['VARN_DIRECTORY'],
        message:
          'file, or graph together with the Graph settings (VARN_SHAREPOINT_SITE and the VARN_GRAPH_* credentials)',
      });
    }
    if (env.VARN_TEAMS_APP_CATALOG_ID && !env.VARN_SHAREPOINT_SITE) {
      ctx.addIssue({
        code: 'custom',
        path: ['VARN_TEAMS_APP_CATALOG_ID'],
        message:
          'no value, or the Graph settings beside it (VARN_SHAREPOINT_SITE and the VARN_GRAPH_* credentials)',
      });
    }
    if (env.AZURE_OPENAI_ENDPOINT) {
      if (!env.AZURE_OPENAI_API_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_OPENAI_API_KEY'],
          message: 'the key of the Azure OpenAI resource',
        });
      if (!env.AZURE_OPENAI_EMBEDDING_DEPLOYMENT)
        ctx.addIssue({
          code: 'custom',
          path: ['AZURE_OPENAI_EMBEDDING_DEPLOYMENT'],
          message: 'the name of the embeddings deployment',
        });
    }
  });

/** How long a record type is kept before the retention job culls it. */
export type Retention = 'never' | { amount: number; unit: 'd' | 'm' | 'y' };

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: string;
  bot: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType?: 'SingleTenant' | 'UserAssignedMSI' | 'MultiTenant';
    /** Where the channel's token-signing keys are described (botbuilder's BotOpenIdMetadata); the public cloud's when unset. */
    openIdMetadata?: string;
  };
  /** true when no tenant is configured: SQLite, sample organisation, offline. */
  embedded: boolean;
  /** Where users reach this service (links to documents); defaults to http://localhost:PORT. */
  publicUrl: string;
  dataDir: string;
  dbPath: string;
  contentDir: string;
  knowledgeDir: string;
  /** aadObjectIds of the security function; empty means "people with a security role in the organisation". */
  securityFunction: string[];
  maxQuestionChars: number;
  /** Set when a SharePoint site is configured: the store is SharePoint through Graph; otherwise SQLite. */
  sharePoint?: SharePointConfig;
  /**
   * Where people, units, groups and roles come from: the organisation file (the embedded default), or Entra ID
   * through Graph (needs the Graph settings of `sharePoint`).
   */
  directory: FileDirectoryConfig | GraphDirectoryConfig;
  /**
   * The app's id in the organisation's app catalog: when set (with the Graph settings), the sender installs the
   * app for people who do not have it (`POST /users/{id}/teamwork/installedApps`).
   */
  teamsAppCatalogId?: string;
  /** The yearly review's schedule: reminders before the deadline, escalations after it, overdue follow-ups. */
  review: {
    reminderDaysBefore: number[];
    escalationDaysAfter: number[];
    followUpOverdueDays: [number, number];
  };
  /** Reports of risks, deficiencies and incidents: handling time, escalation, the organisation's own systems per kind. */
  reports: {
    handlingDays: number;
    escalationDays: number;
    links: Partial<Record<(typeof reportKindNames)[number], string>>;
  };
  /** Retention (gallring) per record type; the retention job culls what has passed its time. */
  retention: {
    reports: Retention;
    questions: Retention;
    quizAnswers: Retention;
    auditEvents: Retention;
  };
  /**
   * Where to create 1:1 conversations with people who have never written to the bot, until a
   * conversation reference has taught the service its tenant's own service URL.
   */
  teamsServiceUrl: string;
  /** How often the scheduler looks for due jobs. */
  schedulerPollMs: number;
  /**
   * How long the sender's claim on a delivery holds: after a crash, a delivery claimed but not recorded
   * is sent again once this has passed (bot/delivery/service.ts).
   */
  senderLeaseMs: number;
  openAi?: {
    endpoint: string;
    apiKey: string;
    embeddingDeployment: string;
    chatDeployment?: string;
    apiVersion: string;
  };
  /**
   * The tab's SSO (tenant mode only): the Entra app whose access tokens the tab API accepts, and where
   * its signing keys are. Undefined on the embedded default, where the app signs its own local tokens.
   */
  tab?: {
    clientId: string;
    appIdUri: string;
    jwksUrl: string;
  };
  /** The embedded default's own signing key for local tab tokens (created on first use). */
  localSigningKeyPath: string;
}

export interface SharePointConfig {
  /** host:/path or the site's Graph id. */
  site: string;
  tenantId: string;
  clientId: string;
  certificatePath?: string;
  clientSecret?: string;
  authorityHost: string;
  graphBaseUrl: string;
  /** Create or repair the lists at start (otherwise: `npm run provision`). */
  provisionAtStart: boolean;
}

export interface FileDirectoryConfig {
  source: 'file';
}

export interface GraphDirectoryConfig {
  source: 'graph';
  /** Entra group ids per role (transitive members have the role). */
  roleGroups: Partial<Record<GroupRole, string[]>>;
  /** Entra groups one can address a campaign to. */
  groups: string[];
  /** How long the directory read from Graph is used before it is read again. */
  refreshMs: number;
  /** The organisation's name as shown (the organisation file's name when unset). */
  organisationName?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError naming every bad setting. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const given = source[name];
        return `${name}: expected ${issue.message}${given === undefined ? ' (not set)' : ` (got "${given}")`}`;
      }),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.VARN_DATA_DIR);
  const contentDir = path.resolve(e.VARN_CONTENT_DIR);
  const publicUrl = (e.VARN_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  // tenant mode only: with no MicrosoftAppId the embedded default signs its own tab tokens
  const tabClientId = e.MicrosoftAppId ? (e.VARN_TAB_CLIENT_ID ?? e.MicrosoftAppId) : undefined;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
      openIdMetadata: e.BotOpenIdMetadata,
    },
    embedded: !e.MicrosoftAppId,
    publicUrl,
    dataDir,
    dbPath: e.VARN_DB_PATH ? path.resolve(e.VARN_DB_PATH) : path.join(dataDir, 'varn.sqlite'),
    contentDir,
    knowledgeDir: e.VARN_KNOWLEDGE_DIR
      ? path.resolve(e.VARN_KNOWLEDGE_DIR)
      : path.join(contentDir, 'documents'),
    securityFunction: e.VARN_SECURITY_FUNCTION ?? [],
    maxQuestionChars: e.VARN_MAX_QUESTION_CHARS,
    sharePoint: e.VARN_SHAREPOINT_SITE
      ? {
          site: e.VARN_SHAREPOINT_SITE,
          tenantId: (e.VARN_GRAPH_TENANT_ID ?? e.MicrosoftAppTenantId) as string,
          clientId: (e.VARN_GRAPH_CLIENT_ID ?? e.MicrosoftAppId) as string,
          certificatePath: e.VARN_GRAPH_CERTIFICATE_PATH
            ? path.resolve(e.VARN_GRAPH_CERTIFICATE_PATH)
            : undefined,
          clientSecret: e.VARN_GRAPH_CERTIFICATE_PATH
            ? undefined
            : (e.VARN_GRAPH_CLIENT_SECRET ?? e.MicrosoftAppPassword),
          authorityHost: e.VARN_GRAPH_AUTHORITY_HOST.replace(/\/$/, ''),
          graphBaseUrl: e.VARN_GRAPH_BASE_URL.replace(/\/$/, ''),
          provisionAtStart: e.VARN_SHAREPOINT_PROVISION,
        }
      : undefined,
    directory:
      e.VARN_DIRECTORY === 'graph'
        ? {
            source: 'graph',
            roleGroups: e.VARN_DIRECTORY_ROLE_GROUPS ?? {},
            groups: e.VARN_DIRECTORY_GROUPS ?? [],
            refreshMs: Math.round(e.VARN_DIRECTORY_REFRESH_MINUTES * 60_000),
            organisationName: e.VARN_DIRECTORY_ORGANISATION_NAME,
          }
        : { source: 'file' },
    teamsAppCatalogId: e.VARN_TEAMS_APP_CATALOG_ID,
    review: {
      reminderDaysBefore: e.VARN_REVIEW_REMINDER_DAYS,
      escalationDaysAfter: e.VARN_REVIEW_ESCALATION_DAYS,
      followUpOverdueDays: e.VARN_FOLLOWUP_OVERDUE_DAYS as [number, number],
    },
    reports: {
      handlingDays: e.VARN_REPORT_HANDLING_DAYS,
      escalationDays: e.VARN_REPORT_ESCALATION_DAYS,
      links: e.VARN_REPORT_LINKS ?? {},
    },
    retention: {
      reports: e.VARN_RETENTION_REPORTS,
      questions: e.VARN_RETENTION_QUESTIONS,
      quizAnswers: e.VARN_RETENTION_QUIZ_ANSWERS,
      auditEvents: e.VARN_RETENTION_AUDIT,
    },
    teamsServiceUrl: e.VARN_TEAMS_SERVICE_URL,
    schedulerPollMs: Math.round(e.VARN_SCHEDULER_POLL_SECONDS * 1000),
    senderLeaseMs: e.VARN_SENDER_LEASE_SECONDS * 1000,
    openAi:
      e.AZURE_OPENAI_ENDPOINT && e.AZURE_OPENAI_API_KEY && e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT
        ? {
            endpoint: e.AZURE_OPENAI_ENDPOINT,
            apiKey: e.AZURE_OPENAI_API_KEY,
            embeddingDeployment: e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
            chatDeployment: e.AZURE_OPENAI_CHAT_DEPLOYMENT,
            apiVersion: e.AZURE_OPENAI_API_VERSION,
          }
        : undefined,
    tab: tabClientId
      ? {
          clientId: tabClientId,
          appIdUri: e.VARN_TAB_APP_ID_URI ?? `api://${new URL(publicUrl).host}/${tabClientId}`,
          jwksUrl:
            e.VARN_TAB_JWKS_URL ??
            `https://login.microsoftonline.com/${e.MicrosoftAppTenantId ?? 'common'}/discovery/v2.0/keys`,
        }
      : undefined,
    localSigningKeyPath: path.join(dataDir, 'tab-signing-key.json'),
  };
}
