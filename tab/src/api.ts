/**
 * The tab's calls to Värn's API. The bearer token is held in memory by the sign-in and asked for on
 * every call; it never goes into a URL or into storage. Errors come back as the server's message, in
 * the caller's language; a failure to reach the server is a message of the tab's own.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A file the API answers (a CSV, the säkerhetsbokslut), saved through the browser. */
  download(path: string, fallbackName: string): Promise<void>;
}

export function createApi(options: {
  token: () => Promise<string>;
  /** Teams' locale, or a language asked for; without it the server uses the person's own locale. */
  locale: string | undefined;
  networkMessage: string;
}): Api {
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await options.token()}`,
          ...(options.locale ? { 'accept-language': options.locale } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, options.networkMessage);
    }
    if (!response.ok) {
      const text = await response.text();
      let message = options.networkMessage;
      try {
        const parsed = JSON.parse(text) as {
          error?: { message?: unknown; problems?: { message?: unknown }[] };
        };
        const problems = parsed.error?.problems?.map((p) => p.message).filter((m) => typeof m === 'string');
        if (problems?.length) message = problems.join(' ');
        else if (typeof parsed.error?.message === 'string') message = parsed.error.message;
      } catch {
        // not the API's JSON (a proxy's page): the tab's own message stands
      }
      throw new ApiError(response.status, message);
    }
    return response;
  };
  const json = async <T>(response: Response): Promise<T> =>
    (response.status === 204 ? undefined : await response.json()) as T;
  return {
    get: async (path) => json(await call('GET', path)),
    send: async (method, path, body) => json(await call(method, path, body)),
    download: async (path, fallbackName) => {
      const response = await call('GET', path);
      const disposition = response.headers.get('content-disposition') ?? '';
      const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
      const name = encoded ? decodeURIComponent(encoded) : fallbackName;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
