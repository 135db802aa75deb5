import { ANTHROPIC_DEFAULT_MODEL, ANTHROPIC_MODELS_VERIFIED_ON, anthropicFallbackModels, anthropicModels } from '@kit/anthropic';
import { CEREBRAS_DEFAULT_MODEL, CEREBRAS_MODELS_VERIFIED_ON, cerebrasFallbackModels, cerebrasModels } from '@kit/cerebras';
import type { ModelInfo } from '@kit/core';
import { GEMINI_DEFAULT_MODEL, GEMINI_MODELS_VERIFIED_ON, geminiFallbackModels, geminiModels } from '@kit/gemini';
import { OLLAMA_DEFAULT_MODEL, ollamaFallbackModels } from '@kit/ollama';
import { OPENAI_DEFAULT_MODEL, OPENAI_MODELS_VERIFIED_ON, openAIFallbackModels, openAIModels } from '@kit/openai';
import {
  OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON,
  openAICompatiblePresetModels,
  openAICompatiblePresetNames,
  openAICompatiblePresets,
} from '@kit/openai-compatible';
import { OPENROUTER_DEFAULT_MODEL, openRouterFallbackModels } from '@kit/openrouter';
import { QWEN_DASHSCOPE_DEFAULT_MODEL, QWEN_MODELS_VERIFIED_ON, qwenFallbackModels, qwenModels } from '@kit/qwen';

/** One provider's (or preset's) dated model table, with the defaults and the fallback list that must avoid its dates. */
export interface DatedModelTable {
  provider: string;
  verifiedOn: string;
  table: readonly ModelInfo[];
  defaults: readonly string[];
  fallback: readonly ModelInfo[];
}

/**
 * Every dated table of the kit. OpenRouter (`openrouter/auto`, its router) and Ollama (whatever model the local server
 * has pulled) have no table: nothing of theirs is shut down by a provider, so their defaults are checked against the
 * tables of every provider instead (see `shutdownAnywhere`).
 */
export const datedModelTables: readonly DatedModelTable[] = [
  { provider: 'openai', verifiedOn: OPENAI_MODELS_VERIFIED_ON, table: openAIModels, defaults: [OPENAI_DEFAULT_MODEL], fallback: openAIFallbackModels },
  {
    provider: 'anthropic',
    verifiedOn: ANTHROPIC_MODELS_VERIFIED_ON,
    table: anthropicModels,
    defaults: [ANTHROPIC_DEFAULT_MODEL],
    fallback: anthropicFallbackModels,
  },
  { provider: 'gemini', verifiedOn: GEMINI_MODELS_VERIFIED_ON, table: geminiModels, defaults: [GEMINI_DEFAULT_MODEL], fallback: geminiFallbackModels },
  {
    provider: 'cerebras',
    verifiedOn: CEREBRAS_MODELS_VERIFIED_ON,
    table: cerebrasModels,
    defaults: [CEREBRAS_DEFAULT_MODEL],
    fallback: cerebrasFallbackModels,
  },
  { provider: 'qwen', verifiedOn: QWEN_MODELS_VERIFIED_ON, table: qwenModels, defaults: [QWEN_DASHSCOPE_DEFAULT_MODEL], fallback: qwenFallbackModels },
  ...openAICompatiblePresetNames.map((name) => ({
    provider: name,
    verifiedOn: OPENAI_COMPATIBLE_PRESET_MODELS_VERIFIED_ON,
    table: openAICompatiblePresetModels[name],
    defaults: [openAICompatiblePresets[name].defaultModel],
    fallback: openAICompatiblePresetModels[name].filter((model) => !model.shutdownDate),
  })),
];

/** Defaults and fallback lists of providers without a table of their own. */
export const untabledDefaults = {
  openrouter: [OPENROUTER_DEFAULT_MODEL, ...openRouterFallbackModels.map((model) => model.id)],
  ollama: [OLLAMA_DEFAULT_MODEL, ...ollamaFallbackModels.map((model) => model.id)],
};

/** A dated snapshot of a table id (`gpt-4.1-mini-2025-04-14`, `claude-haiku-4-5-20251001`) is the same model. */
const snapshotSuffix = /^-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/** The table entry a model id is, itself or as a dated snapshot of it. */
export function tableEntryOf(table: readonly ModelInfo[], id: string): ModelInfo | undefined {
  return table.find((model) => model.id === id || (id.startsWith(model.id) && snapshotSuffix.test(id.slice(model.id.length))));
}

/** The announced shutdown date of a model id in a table, if it has one. */
export function announcedShutdown(table: readonly ModelInfo[], id: string): string | undefined {
  return tableEntryOf(table, id)?.shutdownDate;
}

/** Every model id with a shutdown date, in any table: `[id, provider, date]`. */
export const modelsWithShutdownDate: readonly [id: string, provider: string, date: string][] = datedModelTables.flatMap(({ provider, table }) =>
  table.flatMap((model) => (model.shutdownDate ? [[model.id, provider, model.shutdownDate] as [string, string, string]] : [])),
);
