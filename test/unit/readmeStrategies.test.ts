import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { README, withStrategySection } from '../../scripts/strategyDocs';

test('the README documents every strategy parameter with the defaults the code uses', () => {
  const readme = fs.readFileSync(README, 'utf8');
  assert.equal(readme, withStrategySection(readme), 'README.md is stale: run `npm run docs`');
});
