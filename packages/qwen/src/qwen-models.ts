import type { ModelInfo } from '@kit/core';

/** The day the Qwen (DashScope) model table below was last checked against Alibaba Cloud Model Studio's notices. */
export const QWEN_MODELS_VERIFIED_ON = '2026-12-02';

/** Capabilities of a text model of DashScope. */
export const qwenTextModel = { streaming: true, tools: true, vision: false, reasoning: true, json: true };
/** Capabilities of a vision model of DashScope (`*-vl-*`, omni, QVQ). */
export const qwenVisionModel = { streaming: true, tools: true, vision: true, reasoning: true, json: true };

/**
 * Served by `getModels()` when the live list cannot be fetched (the OAuth portal has none): DashScope's mainline
 * `qwen-plus` / `qwen-flash` (no offline notice seen for them) and the Qwen3.6 models Model Studio recommends in its
 * 2026-10-10 decommissioning notice (ids as third-party clients list them; not confirmed on Alibaba's pages). Limits were
 * not confirmed, so they are left out (the live list does not report them either).
 */
export const qwenFallbackModels: readonly ModelInfo[] = [
  { id: 'qwen-plus', name: 'Qwen Plus', provider: 'qwen', capabilities: qwenTextModel },
  { id: 'qwen-flash', name: 'Qwen Flash', provider: 'qwen', capabilities: qwenTextModel },
  { id: 'qwen3.6-plus', name: 'Qwen3.6 Plus', provider: 'qwen', capabilities: qwenTextModel },
  { id: 'qwen3.6-flash', name: 'Qwen3.6 Flash', provider: 'qwen', capabilities: qwenTextModel },
];

/**
 * Mainline models Model Studio takes offline on 2026-10-10 (its notice "部分历史主线模型下线通知",
 * https://www.alibabacloud.com/zh/notice/model_studionotice_on_the_decommissioning_of_certain_historical_mainline_models_731).
 * A relay that passes DashScope through (docs.apiyi.com, 2026-10-11) reports more retired the same day, among them
 * `qwen3-max`, `qwen3-coder-plus` and `qwen3-vl-plus` snapshots; without a date on Alibaba's own pages they carry none
 * here, but they left the fallback list.
 */
export const qwenShutdownModels: readonly ModelInfo[] = /* @__PURE__ */ (
  [
    ['qwen-turbo', 'Qwen Turbo', qwenTextModel],
    ['qwen-vl-max', 'Qwen VL Max', qwenVisionModel],
    ['qwen-vl-plus', 'Qwen VL Plus', qwenVisionModel],
    ['qwq-plus', 'QwQ Plus', qwenTextModel],
    ['qvq-max', 'QVQ Max', qwenVisionModel],
  ] as const
).map(([id, name, capabilities]) => ({ id, name, provider: 'qwen', capabilities, shutdownDate: '2026-10-10' }));

/** Qwen's (DashScope) dated model table: the current models, then those with an announced shutdown date. */
export const qwenModels: readonly ModelInfo[] = /* @__PURE__ */ qwenFallbackModels.concat(qwenShutdownModels);
