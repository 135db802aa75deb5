export { FileCredentialStore, type CredentialFileSystem, type FileCredentialStoreOptions } from './file-credential-store';
export type { ScryptParameters } from './credential-cipher';
