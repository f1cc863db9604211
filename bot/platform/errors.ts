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
