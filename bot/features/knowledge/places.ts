/**
 * Sweden's 21 regions, each with the words its organisation's name uses, its county (län) and its county
 * seat, so that a question naming the county or the seat finds the region's documents ("Halmstad",
 * "Hallands län" → Region Halland). No package lists these with a licence to ship (see
 * resources/README.md): this is the project's own list, of public facts. Municipalities other than the
 * county seats are not in it. Plain data.
 */
// biome-ignore format: a table reads better packed
const REGIONS: { names: string[]; county: string; seat: string }[] = [
  { names: ['stockholm'], county: 'stockholms län', seat: 'stockholm' },
  { names: ['uppsala'], county: 'uppsala län', seat: 'uppsala' },
  { names: ['sörmland', 'södermanland'], county: 'södermanlands län', seat: 'nyköping' },
  { names: ['östergötland'], county: 'östergötlands län', seat: 'linköping' },
  { names: ['jönköping', 'jönköpings'], county: 'jönköpings län', seat: 'jönköping' },
  { names: ['kronoberg'], county: 'kronobergs län', seat: 'växjö' },
  { names: ['kalmar'], county: 'kalmar län', seat: 'kalmar' },
  { names: ['gotland'], county: 'gotlands län', seat: 'visby' },
  { names: ['blekinge'], county: 'blekinge län', seat: 'karlskrona' },
  { names: ['skåne'], county: 'skåne län', seat: 'malmö' },
  { names: ['halland'], county: 'hallands län', seat: 'halmstad' },
  { names: ['västra', 'götaland', 'götalandsregionen'], county: 'västra götalands län', seat: 'göteborg' },
  { names: ['värmland'], county: 'värmlands län', seat: 'karlstad' },
  { names: ['örebro'], county: 'örebro län', seat: 'örebro' },
  { names: ['västmanland'], county: 'västmanlands län', seat: 'västerås' },
  { names: ['dalarna'], county: 'dalarnas län', seat: 'falun' },
  { names: ['gävleborg'], county: 'gävleborgs län', seat: 'gävle' },
  { names: ['västernorrland'], county: 'västernorrlands län', seat: 'härnösand' },
  { names: ['jämtland', 'härjedalen'], county: 'jämtlands län', seat: 'östersund' },
  { names: ['västerbotten'], county: 'västerbottens län', seat: 'umeå' },
  { names: ['norrbotten'], county: 'norrbottens län', seat: 'luleå' },
];

const byPlace = new Map<string, string[]>();
for (const region of REGIONS) {
  const countyWord = region.county.replace(/ län$/, '').replace(/s$/, '');
  for (const place of [region.seat, countyWord, ...region.names])
    byPlace.set(place, [...new Set([...(byPlace.get(place) ?? []), ...region.names])]);
}

/** The words of the region's name for a place (a county, its seat, the region itself, also in the genitive); empty when unknown. */
export function regionNamesOf(place: string): string[] {
  return byPlace.get(place) ?? (place.endsWith('s') ? (byPlace.get(place.slice(0, -1)) ?? []) : []);
}
