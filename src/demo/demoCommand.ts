import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from '../command.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { lockDataDir } from '../db/dataDirLock.js';
import { loadKeyFile } from '../keys/serviceKeys.js';
import { runService } from '../server.js';
import { DEMO_REGION, seedDemoCounty, type DemoAccount, type DemoAccounts } from './demoCounty.js';

// npm run demo: the service on its own folder (./demo-data, never ./data; its key in ./demo-keys) with a demo county
// seeded afresh, and a username and password for each role printed once. PORT and HOST apply as for
// npm start; DATA_DIR, DATABASE_URL and BOOTSTRAP_ADMIN_TOKEN do not.

const DEMO_DIR = resolve('demo-data');
/** The demo's own key, outside its data folder as the real service's is, made afresh with the county. */
const DEMO_KEY_FILE = resolve('demo-keys', 'data.key');

async function main() {
  const config = loadConfig();
  // A fresh county every time: the folder is the demo's own, and only when no demo is running.
  if (existsSync(DEMO_DIR)) {
    const lock = await lockDataDir(DEMO_DIR, 'the demo, starting');
    await lock.release();
    rmSync(DEMO_DIR, { recursive: true, force: true });
  }
  rmSync(DEMO_KEY_FILE, { force: true });
  const { keyring } = loadKeyFile({ path: DEMO_KEY_FILE, create: true });
  const started = Date.now();
  process.stdout.write(`seeding a demo county (${DEMO_REGION} 通川区) into ${DEMO_DIR} …\n`);
  const database = await openDatabase({ dataDir: DEMO_DIR });
  let accounts: DemoAccounts;
  try {
    accounts = await seedDemoCounty(database.db, new Date(), { keyring });
  } finally {
    await database.close();
  }
  process.stdout.write(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await runService(
    {
      ...config,
      host: config.host,
      dataDir: DEMO_DIR,
      databaseUrl: undefined,
      bootstrapAdminToken: undefined,
      backupDir: resolve('demo-backups'),
      backupKeep: 3,
      dataKeyFile: DEMO_KEY_FILE,
      logLevel: 'warn',
      // A demo signs people in with a password alone: a real office never runs this way.
      auth: { ...config.auth, requireSecondFactor: 'none' },
    },
    {
      onReady(address) {
        const rows: [string, DemoAccount][] = [
          ['管理员 admin', accounts.admin],
          ['第二管理员 admin (confirms the first one’s account changes)', accounts.admin2],
          ['残联审核 reviewer（经办：建批次）', accounts.reviewer],
          ['残联复核 reviewer（审核：签发批次）', accounts.reviewer2],
          ['财政 finance', accounts.finance],
          ['民政 civil_affairs（经办）', accounts.civilAffairs],
          ['民政 civil_affairs（审核）', accounts.civilAffairs2],
          ['审计管理员 auditor', accounts.auditor],
          ...accounts.institutions.map((account): [string, DemoAccount] => [`机构 ${account.institution}（${account.name}）`, account]),
          ...accounts.protection.townships.map((account): [string, DemoAccount] => [`乡镇 township ${account.township}（${account.name}）`, account]),
          ...accounts.protection.departments.map((account): [string, DemoAccount] => [`县直部门 department ${account.department}（${account.name}）`, account]),
        ];
        process.stdout.write(
          [
            '',
            `演示县已就绪 — the demo county is ready: open ${address}`,
            'Sign in with one of these (shown this once; npm run demo seeds a new county each time):',
            ...rows.map(([who, account]) => `  ${who}\n    用户名 username: ${account.username}   密码 password: ${account.password}`),
            '',
            '!! REQUIRE_SECOND_FACTOR=none: this demo asks no second factor (动态验证码) at sign-in. A real office runs with the default (all).',
            'This is demo data in ./demo-data; the real service is npm start (./data). Ctrl-C stops the demo.',
            '',
          ].join('\n'),
        );
      },
    },
  );
}

runCommand('demo', main);
