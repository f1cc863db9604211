import type { MessageKey } from './i18n';

/** One error type: a stable id, an HTTP-ish status and a catalogue key the user reads in their language. */
export class AppError extends Error {
  readonly status: number;
  readonly messageKey: MessageKey;
  readonly params: Record<string, string | number>;
  constructor(options: {
    id: string;
    status: number;
    messageKey: MessageKey;
    params?: Record<string, string | number>;
    cause?: unknown;
  }) {
    super(options.id, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status;
    this.messageKey = options.messageKey;
    this.params = options.params ?? {};
  }
  get id(): string {
    return this.message;
  }
}

export const forbidden = (messageKey: MessageKey = 'error.forbidden') =>
  new AppError({ id: 'forbidden', status: 403, messageKey });
export const notFound = (messageKey: MessageKey = 'error.notFound') =>
  new AppError({ id: 'not_found', status: 404, messageKey });
export const badInput = (
  messageKey: MessageKey = 'error.badInput',
  params?: Record<string, string | number>,
) => new AppError({ id: 'bad_input', status: 400, messageKey, params });

/**
 * Stable exit codes of a start that cannot work (sysexits.h): main.ts prints the error's one message,
 * which names the setting or path to change, and exits with its code; no stack trace, no restart loop.
 */
export const EXIT = {
  /** a setting is wrong: a value, a person or folder it names, the tenant or site it points at */
  config: 78,
  /** a file cannot be read or is damaged: the store, a signing key */
  ioError: 74,
  /** a file cannot be written: a read-only store or data folder, a full disk */
  cannotWrite: 73,
  /** the port cannot be listened on (in use, or not allowed) */
  unavailable: 69,
  /** anything else: a fault of Värn itself */
  software: 70,
} as const;

export class StartupError extends Error {
  readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options);
    this.name = 'StartupError';
    this.exitCode = options?.exitCode ?? EXIT.config;
  }
}
