// Defined in @kit/core (so provider packages can use them without depending on this package); re-exported here
// because they are this package's vocabulary.
export type { OAuthCredential, RefreshContext, RefreshedToken, RefreshFunction } from '@kit/core';
