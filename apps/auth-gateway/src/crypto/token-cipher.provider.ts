import { Provider } from '@nestjs/common';
import { AUTH_SETTINGS, AuthSettings } from '../settings/auth-settings';
import { TokenCipher } from './token-cipher';

export const TOKEN_CIPHER = Symbol('TOKEN_CIPHER');

/** The process's token cipher: TOKEN_ENCRYPTION_KEY encrypts, it and TOKEN_ENCRYPTION_KEYS_OLD decrypt. */
export const tokenCipherProvider: Provider = {
  provide: TOKEN_CIPHER,
  useFactory: (settings: AuthSettings) => new TokenCipher(settings.encryptionKey, settings.oldEncryptionKeys),
  inject: [AUTH_SETTINGS],
};
