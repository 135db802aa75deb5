/**
 * Node-only credential storage: `FileCredentialStore` (atomic writes, mode 0600, optional AES-256-GCM encryption, a
 * lock file so several processes share one file, and `stateStore()`: one token refresh per account across them).
 *
 * @module @kit/oauthmanager/node
 */
export {
  FileCredentialStore,
  type CredentialFileHandle,
  type CredentialFileSystem,
  type FileCredentialStoreOptions,
  type FileStateStoreOptions,
} from './file-credential-store';
export type { ScryptParameters } from './credential-cipher';
