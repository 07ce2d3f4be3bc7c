import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The CJK font comes from an npm package (Noto Sans SC, OFL), never from the system, so every
// machine renders the same document. Its files are 10 MB each: read once per process.

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;

const loaded = new Map<keyof typeof FONT_FILES, Buffer>();

export function fontBytes(weight: keyof typeof FONT_FILES): Buffer {
  let bytes = loaded.get(weight);
  if (!bytes) {
    bytes = readFileSync(require.resolve(FONT_FILES[weight]));
    loaded.set(weight, bytes);
  }
  return bytes;
}
