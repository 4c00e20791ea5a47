// Regenerates resources/icon.png (512x512, app icon) and resources/tray.png (32x32, tray) with
// nothing but node:zlib: a flame on a dark rounded square. Run: node resources/generate-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (Uint8Array, width*height*4) → PNG file bytes. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Inside a drop whose apex points up: y from -1 (tip) to 1 (round bottom), |x| ≤ half-width. */
function inFlame(x, y) {
  if (y <= -1 || y >= 1) return false;
  const halfWidth = Math.sqrt(1 - y * y) * Math.pow((1 + y) / 2, 0.9) * 1.15;
  return Math.abs(x) <= halfWidth;
}

function inRoundedSquare(x, y, size, radius) {
  const dx = Math.max(radius - x, 0, x - (size - radius));
  const dy = Math.max(radius - y, 0, y - (size - radius));
  return dx * dx + dy * dy <= radius * radius;
}

/** The colour (or null) at one sample point, all shapes in a 0..1 square. */
function sample(u, v, withBackground) {
  // Outer flame: orange; inner flame: amber, smaller and lower.
  if (inFlame((u - 0.5) / 0.3, (v - 0.52) / 0.36)) {
    return inFlame((u - 0.5) / 0.15, (v - 0.66) / 0.2) ? [247, 181, 72, 255] : [226, 95, 40, 255];
  }
  if (withBackground && inRoundedSquare(u, v, 1, 0.19)) {
    const t = v; // vertical gradient, lighter at the top
    return [Math.round(40 - 14 * t), Math.round(43 - 15 * t), Math.round(52 - 17 * t), 255];
  }
  return null;
}

function render(size, withBackground, ss = 4) {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, withBackground);
          if (!c) continue;
          for (let i = 0; i < 3; i++) acc[i] += c[i] * c[3];
          acc[3] += c[3];
        }
      }
      const o = (py * size + px) * 4;
      const n = ss * ss;
      if (acc[3] > 0) for (let i = 0; i < 3; i++) rgba[o + i] = Math.round(acc[i] / acc[3]);
      rgba[o + 3] = Math.round(acc[3] / n);
    }
  }
  return encodePng(size, size, rgba);
}

const dir = new URL('.', import.meta.url);
writeFileSync(new URL('icon.png', dir), render(512, true));
writeFileSync(new URL('tray.png', dir), render(32, false));
console.log('wrote resources/icon.png (512x512) and resources/tray.png (32x32)');
