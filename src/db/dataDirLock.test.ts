import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './dataDirLock.js';

const folders: string[] = [];
const newFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'rehab-lock-'));
  folders.push(folder);
  return folder;
};
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('one process per data folder', () => {
  it('a second lock on the folder is refused, naming the holder; after release it is free', async () => {
    const folder = newFolder();
    const first = await lockDataDir(folder, 'the service at http://127.0.0.1:3000/');
    const refused = await lockDataDir(folder, 'a second start').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).holder).toMatchObject({ pid: process.pid, purpose: 'the service at http://127.0.0.1:3000/' });
    expect((refused as Error).message).toContain(folder);
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    await first.release();
    const again = await lockDataDir(folder, 'the service');
    await again.release();
  });

  it('the same folder named another way is the same lock', async () => {
    const folder = newFolder();
    const lock = await lockDataDir(folder, 'the service');
    await expect(lockDataDir(`${folder}/./`, 'again')).rejects.toBeInstanceOf(DataDirLockedError);
    await lock.release();
  });

  it('another folder is another lock; a missing folder is created', async () => {
    const parent = newFolder();
    const one = await lockDataDir(join(parent, 'one'), 'a');
    const two = await lockDataDir(join(parent, 'two'), 'b');
    expect(readdirSync(parent).sort()).toEqual(['one', 'two']);
    await one.release();
    await two.release();
  });

  it('a holder killed with SIGKILL leaves nothing behind: the next lock is taken at once', async () => {
    const folder = newFolder();
    const moduleUrl = new URL('./dataDirLock.ts', import.meta.url).href;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { lockDataDir } = await import(${JSON.stringify(moduleUrl)});
      await lockDataDir(${JSON.stringify(folder)}, 'a process about to be killed');
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk) => String(chunk).includes('locked') && resolve()));
    const whileAlive = await lockDataDir(folder, 'test').catch((error: unknown) => error);
    expect((whileAlive as DataDirLockedError).holder?.pid).toBe(child.pid);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const taken = await lockDataDir(folder, 'after the kill');
    await taken.release();
  });
});
