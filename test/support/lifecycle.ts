import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from './testApp.js';
import { createWorld, type World } from './world.js';

// A test file's app (and its world) made once before the file's tests and closed after them:
//   let test: TestApp, world: World;
//   withTestWorld((made) => ({ test, world } = made));

type AppOptions = Parameters<typeof createTestApp>[0];

export function withTestApp(take: (test: TestApp) => void, options?: AppOptions) {
  let test: TestApp | undefined;
  beforeAll(async () => take((test = await createTestApp(options))));
  afterAll(async () => test?.close());
}

export function withTestWorld(take: (made: { test: TestApp; world: World }) => void, options?: AppOptions) {
  let test: TestApp | undefined;
  beforeAll(async () => {
    test = await createTestApp(options);
    take({ test, world: await createWorld(test) });
  });
  afterAll(async () => test?.close());
}
