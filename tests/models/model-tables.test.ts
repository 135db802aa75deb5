import type { ModelInfo } from '@kit/core';
import { describe, expect, it } from 'vitest';
import { announcedShutdown, datedModelTables, modelsWithShutdownDate, tableEntryOf, untabledDefaults } from './dated-model-tables';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const TODAY = '2026-12-02';

describe('dated model tables', () => {
  it.each(datedModelTables.map((entry) => [entry.provider, entry] as const))('%s: the table is dated and its dates are days', (_provider, entry) => {
    expect(entry.verifiedOn).toMatch(isoDate);
    expect(entry.verifiedOn <= TODAY, 'not checked in the future').toBe(true);
    expect(entry.table.length).toBeGreaterThan(0);
    expect(new Set(entry.table.map((model) => model.id)).size).toBe(entry.table.length);
    for (const model of entry.table) {
      if (model.shutdownDate !== undefined) expect(model.shutdownDate, model.id).toMatch(isoDate);
      if (model.contextWindow !== undefined) expect(model.contextWindow, model.id).toBeGreaterThan(0);
    }
  });

  it.each(datedModelTables.map((entry) => [entry.provider, entry] as const))(
    '%s: no default and no fallback model has a shutdown date, announced or past',
    (_provider, { table, defaults, fallback }) => {
      for (const id of [...defaults, ...fallback.map((model: ModelInfo) => model.id)]) {
        // Known to the table (so its limits are known), and with no shutdown date there.
        expect(tableEntryOf(table, id), `${id} is in the table`).toBeDefined();
        expect(announcedShutdown(table, id), `${id} has a shutdown date`).toBeUndefined();
      }
      for (const model of fallback) expect(model.shutdownDate, model.id).toBeUndefined();
    },
  );

  it('no default of a provider without a table is a model another table dates', () => {
    for (const id of Object.values(untabledDefaults).flat()) expect(modelsWithShutdownDate.map(([dated]) => dated)).not.toContain(id);
  });

  it('the check finds a dated model, also as a dated snapshot or alias of it (so the tests above can fail)', () => {
    const openai = datedModelTables.find((entry) => entry.provider === 'openai')?.table ?? [];
    expect(announcedShutdown(openai, 'gpt-4.1-mini')).toBe('2027-01-14');
    expect(announcedShutdown(openai, 'gpt-4.1-mini-2025-04-14')).toBe('2027-01-14');
    expect(announcedShutdown(openai, 'gpt-4.1-mini-tts')).toBeUndefined();
    const deepseek = datedModelTables.find((entry) => entry.provider === 'deepseek')?.table ?? [];
    expect(announcedShutdown(deepseek, 'deepseek-chat')).toBe('2026-07-24');
    // The retired defaults the issue named are in the tables with their dates.
    const dated = Object.fromEntries(modelsWithShutdownDate.map(([id, provider, date]) => [`${provider}/${id}`, date]));
    expect(dated).toMatchObject({
      'openai/gpt-4.1-mini': '2027-01-14',
      'openai/o3-mini': '2026-10-23',
      'openai/o4-mini': '2026-10-23',
      'openai/gpt-4.1-nano': '2026-10-23',
      'openai/gpt-5': '2026-12-11',
      'openai/gpt-5-mini': '2026-12-11',
      'openai/gpt-5-nano': '2026-12-11',
      'openai/o3': '2026-12-11',
      'deepseek/deepseek-chat': '2026-07-24',
      'gemini/gemini-2.5-flash': expect.stringMatching(isoDate),
      'gemini/gemini-2.5-pro': expect.stringMatching(isoDate),
      'gemini/gemini-2.5-flash-lite': expect.stringMatching(isoDate),
      'cerebras/qwen-3-235b-a22b-instruct-2507': '2026-05-27',
    });
  });
});
