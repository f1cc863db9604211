#!/usr/bin/env bash
# The house figures of issue 8: createApp's length, imports from platform/ (and store/) into features,
# and between features. usage: scripts/house-figures.sh [checkout] (default: this one)
cd "${1:-$(dirname "$0")/..}"
echo "createApp lines: $(awk '/^export async function createApp/{s=NR} s&&/^}/{print NR-s+1; exit}' bot/app.ts)"
echo "app.ts lines: $(wc -l < bot/app.ts)"
echo "platform/store -> features imports: $(grep -rE "from '[./]*/features/" bot/platform/store | wc -l)"
echo "platform -> features imports: $(grep -rE "from '[./]*/features/" bot/platform | wc -l)"
n=0
for f in bot/features/*/; do
  name=$(basename "$f")
  c=$(grep -rE "from '\.\./\.\./features/|from '\.\./(\.\./)?(knowledge|questions|review|campaigns|governance|annualReport)/" "$f" \
      | grep -vE "from '\.\./(\.\./)?$name/" | grep -v "^bot/features/review/followups/.*from '\.\./" | wc -l)
  echo "  $name -> other features: $c"; n=$((n+c))
done
echo "feature -> feature imports: $n"
