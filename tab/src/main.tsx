/**
 * The tab's shell: where it runs (Teams or a plain browser), who is signed in, which theme and
 * language, and which view the hash names. Views load when first opened; a view the caller may not
 * use says so instead of showing nothing.
 */
import {
  Button,
  FluentProvider,
  Link,
  Select,
  type Theme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
} from '@fluentui/react-components';
import { type ComponentType, lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type Api, ApiError, createApi } from './api';
import { connectToHost, type TabConfig, type TeamsHost, type ThemeName, themeOf } from './host';
import { type Key, type Lang, langOf, type T, translator } from './i18n';
import { isManager, isSecurityFunction, Loading, type Me, Problem, type ViewProps } from './ui';

interface Route {
  id: string;
  title: Key;
  allowed: (me: Me) => boolean;
  view: ComponentType<ViewProps>;
}

/** The views, in menu order; the hash is `#/<id>` (the manifest's static tabs open #/mine and #/overview). */
const routes: Route[] = [
  { id: 'mine', title: 'nav.mine', allowed: () => true, view: lazy(() => import('./views/mine')) },
  {
    id: 'overview',
    title: 'nav.overview',
    allowed: (me) => isSecurityFunction(me) || isManager(me),
    view: lazy(() => import('./views/overview')),
  },
  {
    id: 'review',
    title: 'nav.review',
    allowed: isSecurityFunction,
    view: lazy(() => import('./views/review')),
  },
  {
    id: 'followups',
    title: 'nav.followups',
    allowed: isSecurityFunction,
    view: lazy(() => import('./views/followups')),
  },
  {
    id: 'campaigns',
    title: 'nav.campaigns',
    allowed: isSecurityFunction,
    view: lazy(() => import('./views/campaigns')),
  },
  {
    id: 'questions',
    title: 'nav.questions',
    allowed: isSecurityFunction,
    view: lazy(() => import('./views/questions')),
  },
  {
    id: 'documents',
    title: 'nav.documents',
    allowed: isSecurityFunction,
    view: lazy(() => import('./views/documents')),
  },
  {
    // everyone may have reported something; the server shows each person what they may see
    id: 'reports',
    title: 'nav.reports',
    allowed: () => true,
    view: lazy(() => import('./views/reports')),
  },
];

const themes: Record<ThemeName, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

/** Outside Teams: ?theme=… (development and tests), else forced colours, else the system's dark mode. */
function browserTheme(): ThemeName {
  const asked = new URLSearchParams(window.location.search).get('theme');
  if (asked) return themeOf(asked);
  if (window.matchMedia('(forced-colors: active)').matches) return 'contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

const routeId = () => /^#\/([a-z]+)/.exec(window.location.hash)?.[1] ?? 'mine';

function useHashRoute(): string {
  const [id, setId] = useState(routeId);
  useEffect(() => {
    const changed = () => setId(routeId());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return id;
}

type Session =
  | { state: 'starting' }
  | { state: 'signIn'; config: TabConfig }
  | { state: 'noHost' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; api: Api; me: Me; host?: TeamsHost };

const SIGNED_IN_PERSON = 'varn.devPerson';

function App() {
  const [session, setSession] = useState<Session>({ state: 'starting' });
  const [theme, setTheme] = useState<ThemeName>(browserTheme);
  // outside Teams the chosen person's own locale decides, as Teams' would; ?lang= overrides it for development
  const askedLang = new URLSearchParams(window.location.search).get('lang') ?? undefined;
  const browserLang = langOf(askedLang ?? 'sv');
  const lang: Lang = session.state === 'ready' ? session.me.lang : browserLang;
  const t = useMemo(() => translator(lang), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    void start(translator(browserLang), setSession, setTheme);
  }, [browserLang]);

  const signIn = async (personId: string, locale: string) => {
    try {
      const response = await fetch('/api/dev/token', {
        method: 'POST',
        body: JSON.stringify({ personId }),
        headers: { 'content-type': 'application/json', 'accept-language': browserLang },
      });
      if (!response.ok) throw new Error(translator(browserLang)('signin.failed'));
      const { token } = (await response.json()) as { token: string };
      // the person's id (not the token) survives a reload of this browser tab
      sessionStorage.setItem(SIGNED_IN_PERSON, personId);
      const api = createApi({
        token: async () => token,
        locale: askedLang ?? locale,
        networkMessage: translator(browserLang)('error.network'),
      });
      setSession({ state: 'ready', api, me: await api.get<Me>('/me') });
    } catch (error) {
      setSession({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  let body: React.ReactNode;
  if (session.state === 'starting') body = <Loading t={t} />;
  else if (session.state === 'noHost') body = <Problem t={t} message={t('signin.openInTeams')} />;
  else if (session.state === 'failed') body = <Problem t={t} message={session.message} />;
  else if (session.state === 'signIn') body = <DevSignIn t={t} lang={browserLang} onSignIn={signIn} />;
  else
    body = (
      <Workspace
        {...session}
        t={t}
        onSwitch={
          session.host
            ? undefined
            : () => {
                sessionStorage.removeItem(SIGNED_IN_PERSON);
                setSession({ state: 'signIn', config: { mode: 'embedded' } });
              }
        }
      />
    );
  return (
    <FluentProvider theme={themes[theme]} className="varn-app" data-theme={theme}>
      {body}
    </FluentProvider>
  );
}

async function start(
  t: T,
  setSession: (s: Session) => void,
  setTheme: (theme: ThemeName) => void,
): Promise<void> {
  let config: TabConfig;
  try {
    config = (await (await fetch('./config.json', { cache: 'no-store' })).json()) as TabConfig;
  } catch {
    return setSession({ state: 'failed', message: t('error.network') });
  }
  const host = await connectToHost(config);
  if (host) {
    setTheme(host.theme);
    host.onThemeChange(setTheme);
    const api = createApi({ token: host.token, locale: host.locale, networkMessage: t('error.network') });
    try {
      return setSession({ state: 'ready', api, me: await api.get<Me>('/me'), host });
    } catch (error) {
      return setSession({
        state: 'failed',
        message: error instanceof Error ? error.message : t('error.network'),
      });
    }
  }
  if (config.mode !== 'embedded') return setSession({ state: 'noHost' });
  setSession({ state: 'signIn', config });
}

interface Person {
  id: string;
  name: string;
  roles: string[];
  locale: string;
}

function DevSignIn({
  t,
  lang,
  onSignIn,
}: {
  t: T;
  lang: Lang;
  onSignIn: (personId: string, locale: string) => void;
}) {
  const [people, setPeople] = useState<Person[] | undefined>();
  const [chosen, setChosen] = useState(() => sessionStorage.getItem(SIGNED_IN_PERSON) ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const selectId = useId();
  useEffect(() => {
    fetch('/api/dev/people', { headers: { 'accept-language': lang } })
      .then(async (r) => {
        if (!r.ok)
          throw new ApiError(r.status, ((await r.json()) as { error: { message: string } }).error.message);
        return (await r.json()) as Person[];
      })
      .then(setPeople, (error: unknown) =>
        setProblem(error instanceof Error ? error.message : t('error.network')),
      );
  }, [lang, t]);
  useEffect(() => {
    const remembered = sessionStorage.getItem(SIGNED_IN_PERSON);
    const person = people?.find((p) => p.id === remembered);
    if (person) onSignIn(person.id, person.locale);
  }, [people, onSignIn]);
  return (
    <main className="varn-main varn-signin">
      <h1>{t('signin.title')}</h1>
      <p>{t('signin.intro')}</p>
      {problem && <Problem t={t} message={problem} />}
      {!people && !problem && <Loading t={t} />}
      {people && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const person = people.find((p) => p.id === chosen);
            if (person) onSignIn(person.id, person.locale);
          }}
        >
          <label htmlFor={selectId}>{t('signin.person')}</label>
          <Select id={selectId} value={chosen} onChange={(_e, data) => setChosen(data.value)}>
            <option value="">{t('signin.choose')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.roles.length ? ` (${p.roles.join(', ')})` : ''}
              </option>
            ))}
          </Select>
          <Button appearance="primary" type="submit" disabled={!chosen}>
            {t('signin.submit')}
          </Button>
        </form>
      )}
    </main>
  );
}

function Workspace({
  api,
  me,
  host,
  t,
  onSwitch,
}: {
  api: Api;
  me: Me;
  host?: TeamsHost;
  t: T;
  onSwitch?: () => void;
}) {
  const current = useHashRoute();
  const visible = routes.filter((r) => r.allowed(me));
  const route = routes.find((r) => r.id === current);
  useEffect(() => {
    // the workspace tab opens on #/overview; someone who may not use it starts on their own page
    if (!window.location.hash && host?.entityId === 'workspace') window.location.hash = '#/overview';
  }, [host]);
  useEffect(() => {
    document.title = `${route ? t(route.title) : t('app.name')} – ${t('app.name')}`;
  }, [route, t]);
  let content: React.ReactNode;
  if (!route) content = <Problem t={t} message={t('error.unknownView')} />;
  else if (!route.allowed(me)) content = <Problem t={t} message={t('error.forbiddenView')} />;
  else {
    const View = route.view;
    content = (
      <Suspense fallback={<Loading t={t} />}>
        <View api={api} t={t} lang={me.lang} me={me} />
      </Suspense>
    );
  }
  return (
    <>
      <header className="varn-header">
        <nav aria-label={t('nav.label')}>
          <ul className="varn-nav">
            {visible.map((r) => (
              <li key={r.id}>
                <Link href={`#/${r.id}`} aria-current={r.id === current ? 'page' : undefined}>
                  {t(r.title)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <p className="varn-who">
          {t('signin.signedInAs', { name: me.name })}
          {onSwitch && (
            <Button appearance="subtle" size="small" onClick={onSwitch}>
              {t('signin.switch')}
            </Button>
          )}
        </p>
      </header>
      <main className="varn-main">
        <h1>{route ? t(route.title) : t('app.name')}</h1>
        {content}
      </main>
    </>
  );
}

const style = document.createElement('style');
style.textContent = `
  html, body { margin: 0; }
  .varn-app { min-height: 100vh; font-family: var(--fontFamilyBase); }
  .varn-header { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; justify-content: space-between;
    padding: 0.5rem 1.25rem; border-bottom: 1px solid var(--colorNeutralStroke1); }
  .varn-nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; margin: 0; padding: 0; }
  .varn-nav a[aria-current="page"] { font-weight: var(--fontWeightSemibold); text-decoration: underline; }
  .varn-who { margin: 0; display: flex; gap: 0.5rem; align-items: center; }
  .varn-main { padding: 0.5rem 1.25rem 2rem; max-width: 80rem; }
  .varn-main h1 { font-size: var(--fontSizeBase600); line-height: var(--lineHeightBase600); }
  .varn-section h2 { font-size: var(--fontSizeBase400); line-height: var(--lineHeightBase400); margin-top: 1.5rem; }
  .varn-table { overflow-x: auto; }
  .varn-caption { text-align: start; font-weight: var(--fontWeightSemibold); padding: 0.25rem 0; }
  .varn-signin form, .varn-form { display: flex; flex-direction: column; gap: 0.5rem; max-width: 28rem; }
  .varn-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
  .varn-fieldset { border: 1px solid var(--colorNeutralStroke1); border-radius: 4px; padding: 0.5rem 0.75rem; display: flex; flex-direction: column; gap: 0.5rem; }
  .varn-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
  .varn-facts dt { font-weight: var(--fontWeightSemibold); }
  .varn-facts dd { margin: 0; }
  .varn-figures { display: flex; flex-wrap: wrap; gap: 1rem; }
  .varn-figures > * { flex: 1 1 18rem; min-width: 0; }
  :focus-visible { outline: 2px solid var(--colorStrokeFocus2); outline-offset: 2px; }
  /* Fluent's links show focus with a double underline only; a link in the tab gets the same ring as a button */
  .varn-app a:focus-visible { outline: 2px solid var(--colorStrokeFocus2) !important; outline-offset: 2px; }
`;
document.head.append(style);

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
