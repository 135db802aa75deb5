// Answers of Ollama's `POST /api/embed`, transcribed from its public API reference. Sources:
// - docs.ollama.com/api/embed ("Generate embeddings", the OpenAPI example of a 200 answer, model `embeddinggemma`):
//   `singleEmbedding` below, values, durations and count as printed there (the docs shorten the vector to 10 numbers).
// - docs/api.md in github.com/ollama/ollama, "Generate Embeddings" → "Request (Multiple input)": `twoEmbeddings`,
//   the answer to `input: ["Why is the sky blue?", "Why is the grass green?"]` (model `all-minilm`; that example
//   prints neither durations nor `prompt_eval_count`).
// - docs.ollama.com/api/errors: errors are `{ "error": "…" }` with the HTTP status; the 404 of a model that is not
//   pulled words it as below (the same body the chat tests use).

/** docs.ollama.com/api/embed: the answer to `{ "model": "embeddinggemma", "input": "Why is the sky blue?" }`. */
export const singleEmbedding = {
  model: 'embeddinggemma',
  embeddings: [[0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814, 0.008599704, 0.105441414, -0.025878139, 0.12958129, 0.031952348]],
  total_duration: 14143917,
  load_duration: 1019500,
  prompt_eval_count: 8,
};

/** docs/api.md, "Generate Embeddings", "Request (Multiple input)": two inputs, two vectors, in order. */
export const twoEmbeddings = {
  model: 'all-minilm',
  embeddings: [
    [0.010071029, -0.0017594862, 0.05007221, 0.04692972, 0.054916814, 0.008599704, 0.105441414, -0.025878139, 0.12958129, 0.031952348],
    [-0.0098027075, 0.06042469, 0.025257962, -0.006364387, 0.07272725, 0.017194884, 0.09032035, -0.051705178, 0.09951512, 0.09072481],
  ],
};

/** The body of the 404 for a model that is not pulled. */
export const modelNotFound = (model: string) => ({ error: `model "${model}" not found, try pulling it first` });
