/**
 * Kampanjer: the campaigns; one opens with the recipients' card as they get it (the server's own card
 * JSON, rendered by the Adaptive Cards renderer, loaded lazily), its figures per unit as a chart with
 * the same numbers in a table beside it, the CSV, duplicate and cancel.
 */
import { Button, Checkbox, Field, Input, Textarea } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { Api } from '../api';
import { formatDate, formatPercent, statusText } from '../i18n';
import { allows, DataTable, Loading, Notice, Problem, Section, Show, useLoad, type ViewProps } from '../ui';
import { ComposeExtras, contentOf, type Extras, noExtras } from './compose';
import type { CampaignRow } from './types';

const BarChart = lazy(() => import('./chart'));
const LineChart = lazy(() => import('./chart').then((m) => ({ default: m.LineChart })));

interface Tally {
  targeted: number;
  delivered: number;
  failed: number;
  acknowledged: number;
  quizPassed: number;
}

interface Figures {
  campaign: CampaignRow;
  figures: {
    total: Tally;
    units: (Tally & { unitId: string; unitName: string })[];
    overTime: { day: string; delivered: number; acknowledged: number; quizAnswered: number }[];
  };
  at: string;
}

export default function Campaigns({ api, t, lang }: ViewProps) {
  const [loaded, reload] = useLoad(() => api.get<{ campaigns: CampaignRow[] }>('/campaigns'), [api]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const act = async (work: () => Promise<string>) => {
    setStatus(undefined);
    setProblem(undefined);
    try {
      setStatus(await work());
      reload();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <>
      {status && <Notice intent="success">{status}</Notice>}
      {problem && <Problem t={t} message={problem} />}
      <Compose
        {...{ api, t, lang }}
        onSent={(message) => {
          setStatus(message);
          reload();
        }}
      />
      <Show t={t} loaded={loaded}>
        {({ campaigns }) => (
          <DataTable
            caption={t('campaigns.list')}
            rows={campaigns}
            rowKey={(c) => c.id}
            empty={t('common.none')}
            columns={[
              {
                key: 'title',
                title: t('col.title'),
                cell: (c) => (
                  <Button appearance="transparent" size="small" onClick={() => setChosen(c.id)}>
                    {c.title}
                  </Button>
                ),
              },
              { key: 'status', title: t('col.status'), cell: (c) => statusText(t, c.status) },
              { key: 'sent', title: t('col.sent'), cell: (c) => formatDate(lang, c.dispatchedAt) },
              { key: 'closes', title: t('col.closes'), cell: (c) => formatDate(lang, c.closeAt) },
            ]}
          />
        )}
      </Show>
      {chosen && (
        <Campaign key={chosen} {...{ api, t, lang }} id={chosen} onAct={act} onOpen={(id) => setChosen(id)} />
      )}
    </>
  );
}

function Campaign({
  api,
  t,
  lang,
  id,
  onAct,
  onOpen,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & {
  id: string;
  onAct: (work: () => Promise<string>) => void;
  onOpen: (id: string) => void;
}) {
  const [loaded] = useLoad(
    () =>
      Promise.all([
        api.get<{ campaign: CampaignRow }>(`/campaigns/${id}`),
        api.get<{ card: object }>(`/campaigns/${id}/preview`),
      ]),
    [id],
  );
  return (
    <Show t={t} loaded={loaded}>
      {([{ campaign }, { card }]) => (
        <Section title={campaign.title}>
          <div className="varn-row">
            {allows(campaign, 'duplicate', true) && (
              <Button
                onClick={() =>
                  onAct(async () => {
                    const copy = await api.send<{ campaign: CampaignRow }>(
                      'POST',
                      `/campaigns/${id}/duplicate`,
                    );
                    onOpen(copy.campaign.id);
                    return t('campaigns.duplicated', { title: campaign.title });
                  })
                }
              >
                {t('campaigns.duplicate')}
              </Button>
            )}
            {allows(campaign, 'cancel', campaign.status === 'scheduled' || campaign.status === 'sending') && (
              <Button
                onClick={() =>
                  onAct(async () => {
                    await api.send('POST', `/campaigns/${id}/cancel`);
                    return t('campaigns.cancelled', { title: campaign.title });
                  })
                }
              >
                {t('campaigns.cancel')}
              </Button>
            )}
          </div>
          <h3>{t('campaigns.preview')}</h3>
          <CardPreview card={card} label={t('campaigns.preview')} />
          {campaign.status !== 'draft' && <CampaignFigures {...{ api, t, lang }} id={id} />}
        </Section>
      )}
    </Show>
  );
}

/**
 * A new campaign: its content and audience; the preview is the server's own recipient card for the saved
 * draft (so it is the card recipients get), sent from here once the server finds nothing wrong.
 */
function Compose({
  api,
  t,
  lang,
  onSent,
}: Pick<ViewProps, 'api' | 't' | 'lang'> & { onSent: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [acknowledge, setAcknowledge] = useState(true);
  const [extras, setExtras] = useState<Extras>(noExtras);
  const [draft, setDraft] = useState<string | undefined>();
  const [card, setCard] = useState<object | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  if (!open)
    return (
      <Button appearance="primary" onClick={() => setOpen(true)}>
        {t('campaigns.new')}
      </Button>
    );
  const content = {
    title,
    text,
    requiresAcknowledgement: acknowledge,
    reminderAt: [],
    ...contentOf(extras),
  };
  const attempt = async (work: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const save = async (): Promise<string> => {
    const saved = draft
      ? await api.send<{ campaign: CampaignRow }>('PUT', `/campaigns/${draft}`, content)
      : await api.send<{ campaign: CampaignRow }>('POST', '/campaigns', content);
    setDraft(saved.campaign.id);
    setCard((await api.get<{ card: object }>(`/campaigns/${saved.campaign.id}/preview`)).card);
    return saved.campaign.id;
  };
  return (
    <Section title={t('campaigns.new')}>
      <form
        className="varn-form"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(async () => {
            await save();
          });
        }}
      >
        <Field label={t('campaigns.title')} required>
          <Input value={title} onChange={(_e, d) => setTitle(d.value)} />
        </Field>
        <Field label={t('campaigns.text')} required>
          <Textarea value={text} onChange={(_e, d) => setText(d.value)} resize="vertical" />
        </Field>
        <Checkbox
          checked={acknowledge}
          onChange={(_e, d) => setAcknowledge(d.checked === true)}
          label={t('campaigns.acknowledge')}
        />
        <ComposeExtras {...{ api, t }} extras={extras} onChange={setExtras} />
        {problem && <Problem t={t} message={problem} />}
        <div className="varn-row">
          <Button type="submit">{t('campaigns.showPreview')}</Button>
          <Button
            appearance="primary"
            disabled={!card}
            onClick={() =>
              attempt(async () => {
                const id = await save();
                const sent = await api.send<{ recipients: number }>('POST', `/campaigns/${id}/send`);
                setOpen(false);
                setDraft(undefined);
                setCard(undefined);
                setExtras(noExtras());
                onSent(
                  content.sendAt
                    ? t('campaigns.scheduled', {
                        title,
                        count: sent.recipients,
                        when: formatDate(lang, content.sendAt),
                      })
                    : t('campaigns.sent', { title, count: sent.recipients }),
                );
              })
            }
          >
            {t('campaigns.send')}
          </Button>
        </div>
      </form>
      {card && <CardPreview card={card} label={t('campaigns.preview')} />}
    </Section>
  );
}

/** The recipients' card, rendered from the server's JSON by the Adaptive Cards renderer (read-only here). */
function CardPreview({ card, label }: { card: object; label: string }) {
  const host = useRef<HTMLElement>(null);
  useEffect(() => {
    let live = true;
    void import('adaptivecards').then((ac) => {
      if (!live || !host.current) return;
      const adaptive = new ac.AdaptiveCard();
      ac.AdaptiveCard.onProcessMarkdown = (text, result) => {
        result.outputHtml = markdownToHtml(text);
        result.didProcess = true;
      };
      adaptive.parse(card);
      const rendered = adaptive.render();
      host.current.replaceChildren(...(rendered ? [rendered] : []));
      host.current.querySelectorAll('button, input, select, textarea').forEach((el) => {
        el.setAttribute('disabled', '');
      });
    });
    return () => {
      live = false;
    };
  }, [card]);
  return <section ref={host} className="varn-card-preview" aria-label={label} />;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * The Markdown Teams shows in a card's text (bold, italic, links, bulleted and numbered lists), as HTML;
 * everything else is escaped, and a link must be http(s).
 */
export function markdownToHtml(markdown: string): string {
  const inline = (line: string) =>
    escapeHtml(line)
      .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
  const blocks: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | undefined;
  const flush = () => {
    if (list) blocks.push(`<${list.tag}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.tag}>`);
    list = undefined;
  };
  for (const line of markdown.split(/\r?\n/)) {
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const tag = bullet ? 'ul' : 'ol';
      if (list?.tag !== tag) flush();
      list ??= { tag, items: [] };
      list.items.push(inline(item[1] ?? ''));
    } else {
      flush();
      if (line.trim()) blocks.push(`<p>${inline(line)}</p>`);
    }
  }
  flush();
  return blocks.join('');
}

function CampaignFigures({ api, t, lang, id }: Pick<ViewProps, 't' | 'lang'> & { api: Api; id: string }) {
  const [loaded] = useLoad(() => api.get<Figures>(`/campaigns/${id}/figures`), [id]);
  const share = (n: number, of: number) => (of ? formatPercent(lang, n / of) : '–');
  return (
    <Show t={t} loaded={loaded}>
      {({ campaign, figures, at }) => (
        <>
          <h3>{t('campaigns.figures', { title: campaign.title })}</h3>
          <p>
            {t('campaigns.totalLine', {
              targeted: figures.total.targeted,
              acknowledged: figures.total.acknowledged,
              share: share(figures.total.acknowledged, figures.total.targeted),
              when: formatDate(lang, at),
            })}
          </p>
          <Button onClick={() => api.download(`/campaigns/${id}/figures.csv`, 'kampanj.csv')}>
            {t('campaigns.csv')}
          </Button>
          <div className="varn-figures">
            <DataTable
              caption={t('campaigns.perUnit')}
              rows={figures.units}
              rowKey={(u) => u.unitId}
              empty={t('common.none')}
              columns={[
                { key: 'unit', title: t('col.unit'), cell: (u) => u.unitName },
                { key: 'targeted', title: t('col.recipients'), cell: (u) => u.targeted },
                { key: 'ack', title: t('col.acknowledged'), cell: (u) => u.acknowledged },
                { key: 'share', title: t('col.share'), cell: (u) => share(u.acknowledged, u.targeted) },
                { key: 'failed', title: t('col.notReached'), cell: (u) => u.failed },
              ]}
            />
            <Suspense fallback={<Loading t={t} />}>
              <BarChart
                title={t('campaigns.chart')}
                bars={figures.units.map((u) => ({
                  label: u.unitName,
                  share: u.targeted ? u.acknowledged / u.targeted : 0,
                  text: share(u.acknowledged, u.targeted),
                }))}
              />
            </Suspense>
          </div>
          <h4>{t('campaigns.overTime')}</h4>
          <div className="varn-figures">
            <DataTable
              caption={t('campaigns.overTime')}
              rows={figures.overTime}
              rowKey={(p) => p.day}
              empty={t('common.none')}
              columns={[
                { key: 'day', title: t('col.day'), cell: (p) => p.day },
                { key: 'delivered', title: t('col.delivered'), cell: (p) => p.delivered },
                { key: 'ack', title: t('col.acknowledged'), cell: (p) => p.acknowledged },
                ...(campaign.quiz
                  ? [
                      {
                        key: 'quiz',
                        title: t('col.quizAnswered'),
                        cell: (p: { quizAnswered: number }) => p.quizAnswered,
                      },
                    ]
                  : []),
              ]}
            />
            <Suspense fallback={<Loading t={t} />}>
              <LineChart
                title={t('campaigns.overTimeChart')}
                days={figures.overTime.map((p) => p.day)}
                series={[
                  { label: t('col.delivered'), values: figures.overTime.map((p) => p.delivered) },
                  { label: t('col.acknowledged'), values: figures.overTime.map((p) => p.acknowledged) },
                  ...(campaign.quiz
                    ? [{ label: t('col.quizAnswered'), values: figures.overTime.map((p) => p.quizAnswered) }]
                    : []),
                ]}
              />
            </Suspense>
          </div>
        </>
      )}
    </Show>
  );
}
