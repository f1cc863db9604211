// Draws Värn's Teams icons (a shield) and writes manifest/color.png (192×192, colour) and
// manifest/outline.png (32×32, white on transparent), as the Teams manifest requires.
// Run: node scripts/icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** Inside a shield spanning the unit square: flat top, sides curving to a point at the bottom. */
function inShield(x, y) {
  if (y < 0.12 || y > 0.92 || x < 0.16 || x > 0.84) return false;
  if (y < 0.55) return true;
  const half = 0.34 * Math.sqrt(Math.max(0, (0.92 - y) / 0.37));
  return Math.abs(x - 0.5) <= half;
}

function draw(size, pixel) {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const [r, g, b, a] = pixel((px + 0.5) / size, (py + 0.5) / size);
      const i = (py * size + px) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

const color = draw(192, (x, y) => {
  if (!inShield(x, y)) return [0x1f, 0x4e, 0x79, 255];
  const inner = inShield(0.5 + (x - 0.5) / 0.8, 0.12 + (y - 0.12) / 0.85);
  return inner && !(Math.abs(x - 0.5) < 0.05 || Math.abs(y - 0.45) < 0.05) ? [0xf2, 0xb7, 0x05, 255] : [255, 255, 255, 255];
});
// outline: the shield's rim only, white, everything else fully transparent
const outline = draw(32, (x, y) => {
  const rim = inShield(x, y) && !inShield(0.5 + (x - 0.5) / 0.7, 0.12 + (y - 0.12) / 0.8 - 0.05);
  return rim ? [255, 255, 255, 255] : [0, 0, 0, 0];
});

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'manifest');
fs.writeFileSync(path.join(dir, 'color.png'), color);
fs.writeFileSync(path.join(dir, 'outline.png'), outline);
