/** A small säkerhetsbokslut whose figures are worked out by hand in the tests. */
import type { AnnualReportInput } from '../../../bot/features/annualReport/model';

export const reportInput = (): AnnualReportInput => ({
  organisation: 'Region Norrviken',
  year: 2026,
  deadline: '2026-10-31',
  openedAt: '2026-09-01T07:00:00Z',
  closedAt: '2026-11-20T15:00:00Z',
  generatedAt: '2026-11-22T09:00:00Z',
  preparedBy: 'Malin Forsberg',
  areas: [
    { id: 'a-person', name: 'Personsäkerhet' },
    { id: 'a-info', name: 'Informationssäkerhet och dataskydd' },
  ],
  goals: [
    { id: 'g1', areaId: 'a-person', text: 'Alla medarbetare vet hur de larmar vid hot och våld' },
    { id: 'g2', areaId: 'a-person', text: 'Brandskyddet kontrolleras systematiskt' },
    { id: 'g3', areaId: 'a-info', text: 'Informationen är klassad' },
    { id: 'g4', areaId: 'a-info', text: 'Behörigheter gås igenom varje år' },
    { id: 'g5', areaId: 'a-info', text: 'Kontinuitetsplanen för IT-avbrott är övad' },
  ],
  units: [
    {
      id: 'u-fastighet',
      name: 'Fastighet',
      line: ['Region Norrviken', 'Regionservice'],
      managerName: 'Göran Sandström',
      state: 'signedOff',
      history: [
        { action: 'submitted', at: '2026-10-02T08:00:00Z', byName: 'Göran Sandström' },
        { action: 'approved', at: '2026-10-04T08:00:00Z', byName: 'Thomas Engström' },
        { action: 'signedOff', at: '2026-10-09T08:00:00Z', byName: 'Malin Forsberg' },
      ],
      assessments: [
        { goalId: 'g1', rating: 'met' },
        { goalId: 'g2', rating: 'met' },
        { goalId: 'g3', rating: 'met' },
        {
          goalId: 'g4',
          rating: 'partlyMet',
          comment: 'Halva systemen genomgångna',
          reason: 'Ingen budget förrän 2027',
        },
        { goalId: 'g5', rating: 'met', evidenceLink: 'https://intranet.example/ovning-2026' },
      ],
      followUps: [],
    },
    {
      id: 'u-akut',
      name: 'Akutmottagningen Norrviken',
      line: ['Region Norrviken', 'Hälso- och sjukvårdsförvaltningen'],
      managerName: 'Lena Bergqvist',
      state: 'signedOff',
      history: [
        { action: 'submitted', at: '2026-10-01T08:00:00Z', byName: 'Lena Bergqvist' },
        {
          action: 'returned',
          at: '2026-10-03T08:00:00Z',
          byName: 'Hanna Berg',
          onBehalfOfName: 'Per Åkesson',
          comment: 'Komplettera klassningen',
        },
        { action: 'submitted', at: '2026-10-05T08:00:00Z', byName: 'Lena Bergqvist' },
        { action: 'approved', at: '2026-10-06T08:00:00Z', byName: 'Per Åkesson' },
        { action: 'signedOff', at: '2026-10-08T08:00:00Z', byName: 'Malin Forsberg' },
      ],
      assessments: [
        { goalId: 'g1', rating: 'met' },
        { goalId: 'g2', rating: 'met' },
        { goalId: 'g3', rating: 'partlyMet', comment: 'Klassning pågår' },
        { goalId: 'g4', rating: 'notApplicable' },
        { goalId: 'g5', rating: 'notMet', comment: 'Ingen övning i år' },
      ],
      followUps: [
        {
          id: 'f1',
          goalId: 'g3',
          what: 'Klassa informationen i journalsystemet',
          ownerName: 'Lena Bergqvist',
          due: '2026-12-31',
          status: 'inProgress',
        },
        {
          id: 'f2',
          goalId: 'g5',
          what: 'Genomför en övning av IT-avbrott',
          ownerName: 'Johanna Persson',
          due: '2026-11-01',
          status: 'open',
        },
      ],
    },
    {
      id: 'u-museum',
      name: 'Norrvikens museum',
      line: ['Region Norrviken', 'Kultur och utbildning'],
      managerName: 'Ingrid Falk',
      state: 'draft',
      history: [],
      assessments: [
        { goalId: 'g1', rating: 'met', comment: 'Larm testat; "allt fungerade"\nnästa test i maj' },
        { goalId: 'g2', rating: 'notMet', comment: '=HYPERLINK("http://evil.example","klicka")' },
      ],
      followUps: [
        {
          id: 'f3',
          what: 'Utbilda ny personal i brandskydd',
          ownerName: 'Ingrid Falk',
          due: '2027-03-01',
          status: 'open',
        },
      ],
    },
  ],
});
