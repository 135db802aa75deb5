import { KitError } from '@kit/core';

/** The location `createGemini({ backend: 'vertex' })` uses when neither the settings nor `GOOGLE_CLOUD_LOCATION` name one. */
export const VERTEX_DEFAULT_LOCATION = 'global';

/** Where a Vertex AI call goes: the project and location of one credential or of the provider. */
export interface VertexTarget {
  project: string;
  location: string;
}

const resourceSuffix = /\/projects\/([^/]+)\/locations\/([^/]+)\/?$/;

/**
 * Vertex AI's API root for a location: `https://{location}-aiplatform.googleapis.com/v1`, and
 * `https://aiplatform.googleapis.com/v1` for the `global` location.
 */
export function vertexApiRoot(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com/v1' : `https://${location}-aiplatform.googleapis.com/v1`;
}

/** `{root}/projects/{project}/locations/{location}`: the base every Vertex model path hangs from. */
export function vertexLocationURL(root: string, { project, location }: VertexTarget): string {
  return `${root.replace(/\/+$/, '')}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}`;
}

/** The project and location a URL built by `vertexLocationURL` names, or `undefined` for any other URL. */
export function vertexTargetOf(url: string): VertexTarget | undefined {
  const match = resourceSuffix.exec(url);
  return match ? { project: decodeURIComponent(match[1] as string), location: decodeURIComponent(match[2] as string) } : undefined;
}

/** A location id as Google spells them (`us-central1`, `europe-west4`, `global`); anything else → `invalid_config`. */
export function checkVertexLocation(location: string, field: string, provider: string): string {
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(location)) {
    throw new KitError('invalid_config', `${field}: "${location}" is not a Vertex AI location (e.g. us-central1, europe-west4, global)`, { provider });
  }
  return location;
}
