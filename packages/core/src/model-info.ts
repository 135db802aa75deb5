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
  /**
   * The day (`YYYY-MM-DD`) the provider announced it stops serving this model, when it has announced one: requests
   * fail from that day on. Absent for a model with no announced shutdown. The built-in model tables carry it; a live
   * list carries it where the provider's API reports it.
   */
  shutdownDate?: string;
}

export interface HealthStatus {
  healthy: boolean;
  checkedAt: number;
  latencyMs?: number;
  message?: string;
  statusCode?: number;
}
