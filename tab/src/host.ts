/**
 * Where the tab runs. Inside Teams (or Outlook, the Microsoft 365 app), teams-js initializes: the host
 * gives the locale and theme, and the token comes from nested app authentication when the host
 * recommends it, from authentication.getAuthToken() otherwise. Outside a host, app.initialize()
 * rejects at once and the tab offers the development sign-in (embedded default only).
 */
import { app, authentication, nestedAppAuth } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface TabConfig {
  mode: 'embedded' | 'tenant';
  clientId?: string;
  scope?: string;
}

export interface TeamsHost {
  kind: 'teams';
  locale: string;
  theme: ThemeName;
  /** The page inside the host the tab was opened on (its entity id: mine, workspace). */
  entityId: string | undefined;
  token(): Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

export const themeOf = (value: string | undefined | null): ThemeName =>
  value === 'dark' ? 'dark' : value === 'contrast' ? 'contrast' : 'default';

/** Resolves the host, or undefined when the page runs on its own (no parent frame answers). */
export async function connectToHost(config: TabConfig): Promise<TeamsHost | undefined> {
  if (window.parent === window && !window.opener) return undefined;
  try {
    await withTimeout(app.initialize(), 5000);
  } catch {
    return undefined;
  }
  const context = await app.getContext();
  const useNaa = config.mode === 'tenant' && config.clientId && nestedAppAuth.isNAAChannelRecommended();
  return {
    kind: 'teams',
    locale: context.app.locale,
    theme: themeOf(context.app.theme),
    entityId: context.page.id || undefined,
    token: async () => {
      if (useNaa && config.clientId && config.scope) {
        const { naaToken } = await import('./naa');
        return naaToken(config.clientId, config.scope);
      }
      return authentication.getAuthToken();
    },
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(themeOf(theme))),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the host did not answer')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
