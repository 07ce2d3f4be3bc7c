import { readFileSync } from 'node:fs';

// Summarises a V8 CPU profile (node --cpu-prof) by where the time went: self time per package
// under node_modules, the service's own code, Node's internals, garbage collection and idle, and
// the heaviest functions. Usage: tsx bench/profileSummary.ts <file.cpuprofile> [top]
// A profile of the service under the HTTP benchmark is taken with
//   SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=<folder>" npm run bench -- --only=submitClaimsPerSec,approveClaimsPerSec

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, the service, Node itself, or V8's own entries. */
export function placeOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:internals';
  const service = url.match(/\/(src|reports)\/(.*)$/);
  if (service) return `service: ${service[1]}/${service[2]!.split('/')[0]}`;
  return url;
}

export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${place}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    total += micros;
  }
  const busy = total - (byPlace.get('(idle)') ?? 0);
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { totalSeconds: total / 1e6, busySeconds: busy / 1e6, places: sorted(byPlace), functions: sorted(byFunction), busy };
}

function main() {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error('usage: profileSummary <file.cpuprofile> [top]');
  const top = Number(topText ?? 25);
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const share = (micros: number) => `${((100 * micros) / summary.busy).toFixed(1)} %`;
  process.stdout.write(`${summary.totalSeconds.toFixed(1)} s profiled, ${summary.busySeconds.toFixed(1)} s busy (shares below are of the busy time)\n\nby place\n`);
  for (const [place, micros] of summary.places) if (place !== '(idle)') process.stdout.write(`  ${share(micros).padStart(7)}  ${place}\n`);
  process.stdout.write(`\nheaviest functions (self time)\n`);
  for (const [name, micros] of summary.functions.filter(([name]) => !name.includes('(idle)')).slice(0, top)) process.stdout.write(`  ${share(micros).padStart(7)}  ${name}\n`);
}

if (process.argv[1]?.endsWith('profileSummary.ts')) main();
