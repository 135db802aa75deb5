export { FileCredentialStore, type CredentialFileHandle, type CredentialFileSystem, type FileCredentialStoreOptions } from './file-credential-store';
export type { ScryptParameters } from './credential-cipher';
