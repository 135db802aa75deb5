export interface ModelCapabilities {
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  reasoning: boolean;
  json: boolean;
}

export interface ModelPricing {
  inputPerMTok: number;
  outputPerMTok: number;
  currency: string;
}

export interface ModelInfo {
  id: string;
  name?: string;
  provider: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities: ModelCapabilities;
  pricing?: ModelPricing;
}

export interface HealthStatus {
  healthy: boolean;
  checkedAt: number;
  latencyMs?: number;
  message?: string;
  statusCode?: number;
}
