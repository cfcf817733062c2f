// Where a request's CPU time goes, from a V8 CPU profile (`bench-<route>.cpuprofile` written by
// bench/queries.ts with BENCH_PROFILE_REQUESTS, or the server's `--cpu-prof` profile of a bench run
// with BENCH_CPU_PROF): each sample's time is charged to the first bucket found walking its stack
// from the leaf up, so a driver call made by the session lookup counts as "session", not "driver".
//   npx tsx bench/profile-buckets.ts bench-list.cpuprofile [more.cpuprofile …]
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Frame = { functionName: string; url: string };
type Node = { id: number; callFrame: Frame; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Buckets, most specific first: a stack is charged to the first rule that matches any of its frames, leaf first, in rule order. */
const RULES: [string, (f: Frame) => boolean][] = [
  ['session resolution', (f) => /session-batch|resolveSession|loadSessions/.test(`${f.url} ${f.functionName}`)],
  ['permission (preValidation, CSRF)', (f) => f.url.includes('platform/http/http.ts') && /preValidation|refuseNul|nulPath/.test(f.functionName)],
  ['scope (reachOf / placeScope)', (f) => /reachOf|placeScope|accessCondition|toSql/.test(f.functionName)],
  ['serialisation (response)', (f) => /fast-json-stringify|serializerCompiler|serialize|JSON\.stringify|stringify/.test(`${f.url} ${f.functionName}`)],
  ['validation (request)', (f) => /validatorCompiler|safeParse|zod/.test(`${f.url} ${f.functionName}`)],
  ['logging (pino)', (f) => f.url.includes('pino')],
  ['SQL building (drizzle)', (f) => f.url.includes('drizzle-orm') && !/mapResultRow|mapRelationalRow/.test(f.functionName)],
  ['row mapping (drizzle)', (f) => /mapResultRow|mapRelationalRow/.test(f.functionName)],
  ['pg driver (protocol, parse rows)', (f) => /node_modules\/pg(-protocol|-pool|-types)?\//.test(f.url)],
  [
    'socket writes / reads (net, writev)',
    (f) => /^node:(net|stream|internal\/stream|internal\/net)/.test(f.url) || /writev|writeGeneric|onStreamRead/.test(f.functionName),
  ],
  ['Fastify routing / hooks / light-my-request', (f) => /fastify|find-my-way|light-my-request|avvio/.test(f.url)],
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)' || f.functionName === '(program)'],
  ['route code (services, repos)', (f) => f.url.includes('/server/')],
];

for (const file of process.argv.slice(2)) {
  const p: Profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucketOf = new Map<number, string>();
  const bucket = (id: number): string => {
    const known = bucketOf.get(id);
    if (known) return known;
    // Rule order decides, then the frame nearest the leaf.
    const stack: Frame[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) stack.push(byId.get(x)!.callFrame);
    let found = 'other (V8, node internals)';
    for (const [name, test] of RULES)
      if (stack.some(test)) {
        found = name;
        break;
      }
    bucketOf.set(id, found);
    return found;
  };
  const us = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    total += d;
    const b = bucket(id);
    us.set(b, (us.get(b) ?? 0) + d);
  });
  const busy = total - (us.get('idle') ?? 0);
  console.log(`\n${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy`);
  for (const [b, t] of [...us.entries()].sort((a, c) => c[1] - a[1]))
    console.log(`  ${b.padEnd(44)} ${(t / 1000).toFixed(0).padStart(7)} ms  ${b === 'idle' ? '' : `${((t / busy) * 100).toFixed(1).padStart(5)} % of busy`}`);
}
